import PrismAPI

/// The v4 contract rules a client can break (issue 9 point 4). The raw value is the rule id a
/// strict-mode rejection carries as its `code` and the contract report lists violations under.
enum ContractRule: String, Sendable, CaseIterable {
    /// A query option the operation does not declare (`$filter` on a GET by id, `$top`, a typo).
    case unknownQueryOption = "STRICT_UNKNOWN_QUERY_OPTION"
    /// `$filter` names a field outside the operation's published filterable list.
    case fieldNotFilterable = "STRICT_FIELD_NOT_FILTERABLE"
    case fieldNotSortable = "STRICT_FIELD_NOT_SORTABLE"
    case fieldNotSelectable = "STRICT_FIELD_NOT_SELECTABLE"
    case fieldNotExpandable = "STRICT_FIELD_NOT_EXPANDABLE"
    /// A body member the request model does not declare.
    case unknownBodyField = "STRICT_UNKNOWN_BODY_FIELD"
    /// A POST, PUT or DELETE without `NTNX-Request-Id`.
    case missingRequestId = "STRICT_MISSING_REQUEST_ID"
    /// A change to an existing entity without `If-Match`.
    case missingIfMatch = "STRICT_MISSING_IF_MATCH"
    /// A GET by extId of an entity whose creating task has not succeeded (it does not exist yet).
    case readBeforeTaskSucceeded = "STRICT_READ_BEFORE_TASK_SUCCEEDED"

    /// 428 for a missing precondition header (RFC 6585 §3), 400 for everything else.
    var status: Int { self == .missingIfMatch ? 428 : 400 }

    /// The rule for a field-list violation in one OData option.
    static func fieldList(option: String) -> ContractRule? {
        switch option {
        case "$filter": .fieldNotFilterable
        case "$orderby": .fieldNotSortable
        case "$select": .fieldNotSelectable
        case "$expand": .fieldNotExpandable
        default: nil
        }
    }
}

/// One broken rule in one request: what strict mode rejects and the report records.
struct ContractViolation: Sendable {
    var rule: ContractRule
    /// Says what was wrong and how to fix it; the error message after the rule id.
    var message: String
    /// The detail (`option`, `attributePath`, `extId`…), as the error's `argumentsMap`.
    var arguments: [(String, String)]

    init(_ rule: ContractRule, _ message: String, _ arguments: [(String, String)] = []) {
        self.rule = rule
        self.message = message
        self.arguments = arguments
    }

    /// The strict-mode rejection: a v4 error whose `code` is the rule id and whose message
    /// starts with it.
    func error(_ operation: PrismAPI.Operation) -> V4Error {
        var e = V4Error(
            status: rule.status, message: rule.rawValue + ": " + message, code: rule.rawValue,
            errorGroup: "CONTRACT_VIOLATION", namespace: operation.namespace,
            arguments: [("rule", rule.rawValue), ("operationId", operation.operationId)] + arguments)
        e.envelopeObjectType = operation.responseModel
        return e
    }
}
