import FoundationEssentials
import HTTPServer

/// One request on its way through the middleware chain, before and after routing.
struct Exchange {
    let request: HTTPRequest
    let connection: ConnectionInfo
    let receivedAt: Date
    /// Set by authentication; nil until then (and for the unauthenticated health check).
    var principal: Principal?
    /// Added by middlewares (idempotency) for the router to run inside the effect's transaction.
    var commitHooks: [CommitHook] = []
    /// Set by a `failTask` fault rule: the task this request creates fails with it.
    var taskFault: TaskFault? = nil
    /// The catalog operation the request names, resolved once before the chain runs (nil for
    /// the admin API, version negotiation and paths that name no operation).
    var route: Route? = nil

    var requestId: String? { request.headers["NTNX-Request-Id"] }
    var isAdmin: Bool { request.path.hasBytePrefix("/_pcmock/") }
}

/// The rest of the chain after a middleware.
typealias Next = (inout Exchange) throws -> HTTPResponse

/// One step of DESIGN.md's chain (`journal → rate limit → error mapping → auth → idempotency →
/// ETag/precondition → router`). A middleware may answer by itself, call `next`, or change the
/// exchange or the response on the way.
protocol Middleware: Sendable {
    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse
}

/// Runs the middlewares in order, then `terminal`.
struct MiddlewareChain: Sendable {
    let middlewares: [any Middleware]

    func run(_ exchange: inout Exchange, terminal: Next) throws -> HTTPResponse {
        try step(0, &exchange, terminal)
    }

    private func step(_ i: Int, _ exchange: inout Exchange, _ terminal: Next) throws -> HTTPResponse {
        guard i < middlewares.count else { return try terminal(&exchange) }
        return try middlewares[i].handle(&exchange) { (x: inout Exchange) throws -> HTTPResponse in
            try step(i + 1, &x, terminal)
        }
    }
}

/// Turns any thrown error into a v4 error response, so the middlewares before it (journal,
/// rate limit) see a response, never an error. A non-V4Error is a pcmock bug: a 500 naming
/// the request id.
struct ErrorMapping: Middleware {
    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        do {
            return try next(&exchange)
        } catch let error as V4Error {
            return error.response()
        } catch {
            let ns = V4Error.namespace(ofPath: exchange.request.path)
            return V4Error.internalError(ns, requestId: exchange.requestId, "\(error)").response()
        }
    }
}
