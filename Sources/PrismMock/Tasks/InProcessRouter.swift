import HTTPServer
import Synchronization

/// The application's own request handler, for batch items: they run through the same chain and
/// router as a client's request. Attached after the app is built (the app owns the services that
/// need it), held weakly by the app's closure so there is no reference cycle.
final class InProcessRouter: Sendable {
    typealias Handler = @Sendable (HTTPRequest, ConnectionInfo) -> HTTPResponse
    private let handler = Mutex<Handler?>(nil)

    init() {}

    func attach(_ h: @escaping Handler) {
        handler.withLock { $0 = h }
    }

    func handle(_ request: HTTPRequest, _ connection: ConnectionInfo) -> HTTPResponse {
        guard let h = handler.withLock({ $0 }) else {
            return V4Error(503, "prism", "NOT_READY", "pcmock is not ready to run batch items").response()
        }
        return h(request, connection)
    }
}
