import EntityStore
import HTTPServer
import OData
import PrismAPI

/// `GET /_pcmock/contract-report[?format=json|junit]` and `DELETE /_pcmock/contract-report`.
/// Every answer says how many violations were recorded in `X-Pcmock-Violations`, so a CI step
/// (or `pcmock report`) can decide pass or fail whatever format it asked for.
struct ContractReportEndpoint {
    static let path = "/_pcmock/contract-report"
    static let violationsHeader = "X-Pcmock-Violations"

    let report: ContractReport
    let contract: Contract
    let store: EntityStore
    let config: RuntimeConfig

    func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        switch request.method {
        case "GET": return try get(request)
        case "DELETE":
            report.clear()
            return HTTPResponse(status: 204)
        default: throw V4Error.methodNotAllowed(path: request.path, allow: ["GET", "DELETE"])
        }
    }

    private func get(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let target = RequestTarget(path: request.path, query: request.query) else {
            throw V4Error.badRequest("prism", "malformed percent-encoding in the query")
        }
        if let other = target.query.first(where: { $0.name != "format" }) {
            throw V4Error.badRequest(
                "prism", "unknown query option '\(other.name)'; the report takes only format=json|junit")
        }
        let format = target.value("format") ?? "json"
        guard format == "json" || format == "junit" else {
            throw V4Error.badRequest("prism", "format must be json or junit, got '\(format)'")
        }
        let view = ContractReportView(
            state: report.snapshot, catalog: contract.catalog,
            entities: try store.entityKeys(limit: ContractReportView.maxEntitiesScanned), kinds: contract.entityKinds,
            strict: config.current.strict)
        var headers = HTTPHeaders()
        headers.add(ContractReportEndpoint.violationsHeader, String(view.state.violationCount))
        if format == "junit" {
            headers.add("Content-Type", "application/xml; charset=utf-8")
            return HTTPResponse(status: 200, headers: headers, body: Array(view.junit.utf8))
        }
        return .json(200, view.json.text, headers: headers)
    }
}

extension Contract {
    /// The store kinds catalog operations serve (collections and their parents), as opposed to
    /// pcmock's own bookkeeping rows.
    var entityKinds: Set<String> {
        var kinds: Set<String> = []
        for role in roles.all {
            kinds.insert(role.collection)
            if let parent = role.parentCollection { kinds.insert(parent) }
        }
        return kinds
    }
}
