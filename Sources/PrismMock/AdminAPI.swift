import HTTPServer
import PrismAPI

/// `/_pcmock/…`: the operator's controls (DESIGN.md "Admin API").
struct AdminAPI {
    let app: PrismMockApp
    let env: AppEnvironment

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
        case ("GET", "/_pcmock/config"):
            return .json(200, env.config.current.json())
        case ("PUT", "/_pcmock/config"):
            let body: JSON
            do {
                body = try JSON.parse(request.body)
            } catch {
                throw V4Error.schema("prism", path: String(path), [ValidationProblem(attributePath: "$", message: "\(error)")])
            }
            let problems = env.config.update { $0.apply(body) }
            guard problems.isEmpty else { throw V4Error.schema("prism", path: String(path), problems) }
            env.engine.tasks.submitted()
            return .json(200, env.config.current.json())
        case (_, "/_pcmock/config"):
            throw V4Error.methodNotAllowed(path: path, allow: ["GET", "PUT"])
        case ("POST", "/_pcmock/tasks/$actions/advance"):
            return try TaskAdmin(scheduler: env.engine.tasks.scheduler).advance(request)
        case (_, "/_pcmock/tasks/$actions/advance"):
            throw V4Error.methodNotAllowed(path: path, allow: ["POST"])
        case (_, let p) where p == "/_pcmock/faults" || p.hasPrefix("/_pcmock/faults/"):
            return try FaultAdmin(rules: app.faults).handle(request)
        default:
            throw V4Error.notFound(path: path)
        }
    }
}
