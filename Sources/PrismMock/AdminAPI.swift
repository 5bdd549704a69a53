import HTTPServer
import PrismAPI

/// `/_pcmock/…`: the operator's controls (DESIGN.md "Admin API").
struct AdminAPI {
    let app: PrismMockApp

    func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        let path = request.path
        switch (request.method, path) {
        case ("GET", "/_pcmock/health"), ("HEAD", "/_pcmock/health"):
            return .json(200, #"{"status":"ok"}"#)
        case (_, "/_pcmock/health"):
            throw V4Error.methodNotAllowed(path: path, allow: ["GET", "HEAD"])
        case ("POST", "/_pcmock/reset"):
            try app.reset()
            return HTTPResponse(status: 204)
        case (_, "/_pcmock/reset"):
            throw V4Error.methodNotAllowed(path: path, allow: ["POST"])
        default:
            throw V4Error.notFound(path: path)
        }
    }
}
