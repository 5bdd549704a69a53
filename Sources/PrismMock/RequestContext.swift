import HTTPServer
import OData
import PrismAPI

/// Everything a handler needs about one routed request. One concrete type, passed `inout`
/// through the middleware chain (STYLE.md: no generic context machinery).
struct RequestContext {
    let request: HTTPRequest
    let connection: ConnectionInfo
    /// The routed operation, shared with the exchange (see `Route`).
    let route: Route
    var target: RequestTarget { route.target }
    var operation: PrismAPI.Operation { route.operation }
    var role: OperationRole { route.role }
    var parameters: PathParameters { route.parameters }
    /// Who the request authenticated as; `ownedBy` of the tasks it creates.
    var user = Principal.admin
    /// See `CommitHook`: run inside the write that carries the request's effect.
    var commitHooks: [CommitHook] = []
    /// From a `failTask` fault rule (see `FaultInjection`).
    var taskFault: TaskFault? = nil

    var namespace: String { operation.namespace }

    init(request: HTTPRequest, connection: ConnectionInfo, route: Route) {
        self.request = request
        self.connection = connection
        self.route = route
    }

    /// `http(s)://host:port` for list links, from the request's own `Host` (sdk-contract.md §e).
    var origin: String {
        let scheme = connection.isSecure ? "https://" : "http://"
        return scheme + (request.headers["Host"] ?? "127.0.0.1:\(connection.localPort)")
    }

    /// The same request with another body (already validated by the caller), for a service that
    /// rewrites what the client sent and lets the generic engine serve the result. Everything the
    /// chain attached (user, commit hooks, a `failTask` fault) carries over.
    func withBody(_ body: JSONObject) -> RequestContext {
        var request = request
        request.body = Array(JSON.object(body).text.utf8)
        var inner = RequestContext(request: request, connection: connection, route: route)
        inner.user = user
        inner.commitHooks = commitHooks
        inner.taskFault = taskFault
        return inner
    }

    func parameter(_ name: String?) -> String? {
        guard let name else { return nil }
        return parameters[name]
    }
}

struct Principal: Sendable, Equatable {
    var extId: String
    var name: String
    static let admin = Principal(extId: "00000000-0000-0000-0000-000000000000", name: "admin")
}
