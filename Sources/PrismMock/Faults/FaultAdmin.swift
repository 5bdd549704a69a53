import HTTPServer
import OData
import PrismAPI

/// `POST /_pcmock/faults` (add a rule, 201 with it), `GET /_pcmock/faults` (the rules),
/// `DELETE /_pcmock/faults` (all) and `DELETE /_pcmock/faults/{id}` (one; 404 when unknown).
struct FaultAdmin {
    let rules: FaultRules

    func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        let path = request.path
        let rest = path.dropFirst("/_pcmock/faults".count).split(separator: "/")
        switch (request.method, rest.count) {
        case ("GET", 0):
            return .json(200, #"{"data":["# + rules.all.map { $0.json() }.joined(separator: ",") + "]}")
        case ("POST", 0):
            let body: JSON
            do {
                body = try JSON.parse(request.body)
            } catch {
                throw V4Error.schema(
                    "prism", path: String(path), [ValidationProblem(attributePath: "$", message: "\(error)")])
            }
            do {
                let rule = try rules.add { id throws(FaultRuleError) in try FaultRule(json: body, id: id) }
                return .json(201, rule.json())
            } catch {
                throw V4Error.schema(
                    "prism", path: String(path),
                    [
                        ValidationProblem(attributePath: error.path, message: error.message)
                    ])
            }
        case ("DELETE", 0):
            rules.removeAll()
            return HTTPResponse(status: 204)
        case ("DELETE", 1):
            guard rules.remove(id: String(rest[0])) else {
                throw V4Error.entityNotFound("prism", what: "fault rule", extId: String(rest[0]))
            }
            return HTTPResponse(status: 204)
        case (_, 0):
            throw V4Error.methodNotAllowed(path: path, allow: ["GET", "POST", "DELETE"])
        case (_, 1):
            throw V4Error.methodNotAllowed(path: path, allow: ["DELETE"])
        default:
            throw V4Error.notFound(path: path)
        }
    }
}
