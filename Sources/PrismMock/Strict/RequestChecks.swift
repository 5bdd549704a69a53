import HTTPServer
import OData
import PrismAPI

/// The contract rules one routed request is checked against, each answering the violation it
/// finds or nil. None touches the store; `ContractChecks` decides which run when.
struct RequestChecks {
    let contract: Contract
    let route: Route
    let request: HTTPRequest

    var operation: PrismAPI.Operation { route.operation }

    /// `NTNX-Request-Id` makes a retried change safe; every SDK sends one (sdk-contract.md §d).
    func missingRequestId() -> ContractViolation? {
        let method = request.method
        guard method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH" else { return nil }
        if let id = request.headers[Idempotency.header], !id.isEmpty { return nil }
        return ContractViolation(
            .missingRequestId,
            "\(operation.operationId) changes state and needs an NTNX-Request-Id header (a fresh UUID, the same on "
                + "every retry of this request)", [("header", Idempotency.header)])
    }

    /// Only the operation's declared query parameters; anything else is ignored by Prism
    /// Central, so a client relying on it gets answers it did not ask for.
    func unknownQueryOption() -> ContractViolation? {
        for item in route.target.query where operation.parameter(named: item.name, in: .query) == nil {
            let declared = operation.parameters.filter { $0.location == .query }.map(\.name)
            let takes = declared.isEmpty ? "it takes none" : "it takes " + declared.joined(separator: ", ")
            return ContractViolation(
                .unknownQueryOption, "\(operation.operationId) does not take the query option '\(item.name)'; \(takes)",
                [("option", item.name), ("declared", declared.joined(separator: ","))])
        }
        return nil
    }

    static let fieldListOptions = ["$filter", "$orderby", "$select", "$expand"]

    /// `$filter`/`$orderby`/`$select`/`$expand` naming a field outside the operation's published
    /// lists. Other query errors (syntax, types) are the list's own 400 in every mode.
    func fieldListViolation() -> ContractViolation? {
        guard operation.isList else { return nil }
        let target = route.target
        guard RequestChecks.fieldListOptions.contains(where: { target.value($0) != nil }) else { return nil }
        let lists = contract.filterCatalog(for: operation)
        for option in RequestChecks.fieldListOptions {
            guard let value = target.value(option), !value.isEmpty, let rule = ContractRule.fieldList(option: option)
            else { continue }
            do {
                switch option {
                case "$filter": _ = try ODataQuery.parse(filter: value, catalog: lists.filterable)
                case "$orderby":
                    _ = try ODataQuery.parse(orderby: value, catalog: lists.filterable, sortable: lists.sortable)
                case "$select":
                    _ = try ODataQuery.parse(select: value, catalog: lists.filterable, selectable: lists.selectable)
                default:
                    _ = try ODataQuery.parse(
                        expand: value, catalog: lists.filterable, expandable: Set(operation.expandable ?? []))
                }
            } catch  where error.kind == .unknownProperty {
                let allowed = allowedFields(option, lists)
                let shown =
                    allowed.count > 12
                    ? allowed.prefix(12).joined(separator: ", ") + ", …" : allowed.joined(separator: ", ")
                return ContractViolation(
                    rule,
                    "\(operation.operationId): \(error.description); the published list is "
                        + (allowed.isEmpty ? "empty" : shown),
                    [("option", option), ("token", error.token), ("allowed", allowed.joined(separator: ","))])
            } catch {
                continue
            }
        }
        return nil
    }

    private func allowedFields(_ option: String, _ lists: FilterCatalog) -> [String] {
        switch option {
        case "$filter": operation.filterable ?? lists.filterable.fields.keys.sorted()
        case "$orderby": operation.sortable ?? lists.filterable.fields.keys.sorted()
        case "$select": (lists.selectable.map { Array($0) } ?? []).sorted()
        default: operation.expandable ?? []
        }
    }

    /// Body members the request model does not declare (the SDKs' own `$…` bookkeeping and
    /// declared read-only fields are fine). Invalid JSON or values are the engine's 400.
    func unknownBodyFields() -> ContractViolation? {
        guard let type = operation.requestBody, !request.body.isEmpty,
            let unknown = UnknownFieldScanner(catalog: contract.catalog, namespace: operation.namespace)
                .scan(request.body, as: type),
            let first = unknown.first
        else { return nil }
        let more = unknown.count > 1 ? " (and \(unknown.count - 1) more)" : ""
        let model = RequestChecks.modelName(type).map { " (request model \($0))" } ?? ""
        return ContractViolation(
            .unknownBodyField, "\(operation.operationId): the body declares no member \(first)\(model)\(more)",
            [("attributePath", first), ("unknownFields", unknown.joined(separator: ","))])
    }

    private static func modelName(_ type: SchemaType) -> String? {
        if case .model(let name) = type { return name }
        return nil
    }

    /// The key of the existing entity this request changes when it needs `If-Match` (the cases
    /// `Preconditions` enforces) and carries none; nil otherwise.
    func ifMatchTarget() -> String? {
        let method = request.method
        guard method == "PUT" || method == "DELETE" || method == "POST", !request.headers.contains("If-Match") else {
            return nil
        }
        let role = route.role
        switch role.kind {
        case .update, .delete, .action(_, onEntity: true): return role.itemParameter.flatMap { route.parameters[$0] }
        case .singletonPut: return role.parentParameter.flatMap { route.parameters[$0] } ?? GenericEngine.singletonKey
        default: return nil
        }
    }

    func missingIfMatch(_ extId: String) -> ContractViolation {
        ContractViolation(
            .missingIfMatch,
            "\(operation.operationId) changes an existing entity without If-Match; send the ETag of your last read "
                + "(the SDK does when the body came from a GET)", [("extId", extId), ("header", "If-Match")])
    }
}
