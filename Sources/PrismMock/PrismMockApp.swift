import HTTPServer

/// Options the application takes from the CLI. Fields whose feature has not landed yet are
/// accepted and kept so that later layers read them from one place.
public struct PrismMockOptions: Sendable {
    public enum TaskMode: String, Sendable, CaseIterable {
        case timed, immediate, manual
    }
    public var database = ":memory:"
    public var fixtures: String? = nil
    public var username = "admin"
    public var password = "Nutanix/4u"
    public var taskMode = TaskMode.timed
    public var taskDelayMilliseconds = 250
    public var rateLimit: Double? = nil
    public var rateBurst: Int? = nil
    public init() {}
}

/// The application: turns an HTTP request into a response. Passed explicitly (no globals) so
/// two servers can live in one test process.
public final class PrismMockApp: Sendable {
    public let options: PrismMockOptions

    public init(options: PrismMockOptions = PrismMockOptions()) {
        self.options = options
    }

    public func handle(_ request: HTTPRequest, _ connection: ConnectionInfo) -> HTTPResponse {
        let path = request.path
        if path == "/_pcmock/health" {
            guard request.method == "GET" || request.method == "HEAD" else {
                return V4Error.methodNotAllowed(path: path, allow: ["GET", "HEAD"]).response()
            }
            return .json(200, #"{"status":"ok"}"#)
        }
        return V4Error.notFound(path: path).response()
    }

    /// What the HTTP layer answers for framing errors, in the same v4 error shape.
    public static func transportError(status: Int, message: String) -> HTTPResponse {
        V4Error.transport(status: status, message: message).response()
    }
}
