import Dispatch
import EntityStore
import FoundationEssentials
import HTTPServer

/// `NTNX-Request-Id` as an idempotency key on every POST, PUT and DELETE under `/api/`
/// (issue 6 §2). The first request with an id executes and its final answer is stored with the
/// effect; a retry with the same fingerprint gets the stored bytes back without executing again;
/// the same id on a different request is a 409. GETs carry ids too (the SDK sends one on every
/// request, sdk-contract.md §d) but nothing is kept for them.
struct Idempotency: Middleware {
    struct Settings: Sendable {
        var lenient = false
        var ttlSeconds = 86_400
        /// How long a request waits for another one with the same id still running.
        var waitMilliseconds = 5_000
    }

    static let header = "NTNX-Request-Id"
    /// Ids are uuid4s in practice; a bound keeps the table and the in-flight map small.
    static let maxIdLength = 256

    let settings: Settings
    let store: EntityStore
    let clock: @Sendable () -> Date
    let inFlight: InFlightRequests
    let state: IdempotencyState

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        let request = exchange.request
        guard request.method == "POST" || request.method == "PUT" || request.method == "DELETE",
            request.path.hasBytePrefix("/api/")
        else { return try next(&exchange) }
        let ns = V4Error.namespace(ofPath: request.path)
        guard let id = request.headers[Idempotency.header], !id.isEmpty else {
            if settings.lenient { return try next(&exchange) }
            throw V4Error.badRequest(
                ns, "\(request.method) requests need an NTNX-Request-Id header (a UUID) to make retries safe",
                group: "MISSING_REQUEST_ID")
        }
        guard id.utf8.count <= Idempotency.maxIdLength else {
            throw V4Error.badRequest(ns, "NTNX-Request-Id is longer than \(Idempotency.maxIdLength) bytes")
        }
        let fingerprint = Idempotency.fingerprint(request, principal: exchange.principal)
        let deadline = DispatchTime.now() + .milliseconds(settings.waitMilliseconds)
        while true {
            switch inFlight.claim(id) {
            case .busy(let group):
                if group.wait(timeout: deadline) == .timedOut { throw stillRunning(ns, id) }
            case .claimed:
                defer { inFlight.release(id) }
                // Read after claiming: a request that finished just before our claim has committed its record.
                if let stored = try store.read({ try $0.idempotencyRecord(requestId: id) }) {
                    guard stored.fingerprint == fingerprint else { throw conflict(ns, id) }
                    return IdempotencyRecorder.replay(stored)
                }
                return try execute(&exchange, id: id, fingerprint: fingerprint, next: next)
            }
        }
    }

    private func execute(_ exchange: inout Exchange, id: String, fingerprint: String, next: Next) throws -> HTTPResponse
    {
        let recorder = IdempotencyRecorder(
            requestId: id, fingerprint: fingerprint, expiresAt: clock().addingTimeInterval(Double(settings.ttlSeconds)),
            state: state)
        exchange.commitHooks.append(recorder.hook)
        let response: HTTPResponse
        var rolledBack = false
        do {
            response = try next(&exchange)
        } catch let error as V4Error {
            // Whatever the effect's transaction wrote (the record too, if its hook ran before the
            // one that threw) rolled back; the error is the final answer.
            response = error.response()
            rolledBack = true
        }
        if rolledBack || !recorder.wasRecorded, IdempotencyRecorder.isFinal(response.status) {
            try store.write { tx in try recorder.record(response, in: tx) }
        }
        return response
    }

    /// Method, target, principal and body hash: what makes two requests "the same request".
    static func fingerprint(_ request: HTTPRequest, principal: Principal?) -> String {
        request.method + " " + request.target + " " + (principal?.extId ?? "-") + " " + SHA256.hex(request.body)
    }

    private func conflict(_ ns: String, _ id: String) -> V4Error {
        V4Error(
            409, ns, "REQUEST_ID_REUSED",
            "NTNX-Request-Id \(id) was already used for a different request (method, path or body differ)",
            detail: 1, arguments: [("requestId", id)])
    }

    private func stillRunning(_ ns: String, _ id: String) -> V4Error {
        V4Error(
            409, ns, "REQUEST_IN_PROGRESS",
            "A request with NTNX-Request-Id \(id) is still being processed; retry later", detail: 2,
            arguments: [("requestId", id)])
    }
}
