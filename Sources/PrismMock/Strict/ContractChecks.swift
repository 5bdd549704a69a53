import EntityStore
import HTTPServer
import PrismAPI

/// Checks every routed request against the contract (issue 9 point 4). In strict mode
/// (`--strict`, `PUT /_pcmock/config {"strict":true}`) a violation is answered with its rule's
/// 400/428 before anything runs; otherwise the request is served as usual and the violation
/// only recorded in the contract report.
///
/// Outside strict mode this runs on every request, so the common path reads a few fields in
/// place (a header, the query option names, the role) and copies nothing; the rules that cost
/// more run only on answers that already point at a violation (a 400 to a list, a 404 to a GET
/// by extId, a change accepted or refused without If-Match) and on the body of an accepted change.
struct ContractChecks: Middleware {
    let contract: Contract
    let config: RuntimeConfig
    let store: EntityStore
    let report: ContractReport

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard exchange.route != nil else { return try next(&exchange) }
        if config.current.strict { return try strictly(&exchange, next: next) }

        let method = exchange.request.method
        let isChange = method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH"
        let missingId = isChange && (exchange.request.headers[Idempotency.header]?.isEmpty ?? true)
        let undeclaredOption = ContractChecks.hasUndeclaredOption(
            exchange.route?.target.query ?? [], exchange.route?.operation.parameters ?? [])
        let mayNeedIfMatch =
            isChange && ContractChecks.needsIfMatch(exchange.route?.role.kind)
            && !exchange.request.headers.contains("If-Match")

        let status: Int
        let outcome: Result<HTTPResponse, any Error>
        do {
            let response = try next(&exchange)
            status = response.status
            outcome = .success(response)
        } catch let error as V4Error {
            status = error.status
            outcome = .failure(error)
        }
        let getById = status == 404 && exchange.route?.role.kind == .get
        let listRefused = status == 400 && exchange.route?.operation.isList == true
        let acceptedBody = status < 300 && isChange && !exchange.request.body.isEmpty
        let ifMatchAnswered = mayNeedIfMatch && (status < 300 || status == 428)
        if missingId || undeclaredOption || getById || listRefused || acceptedBody || ifMatchAnswered,
            let route = exchange.route
        {
            let checks = RequestChecks(contract: contract, route: route, request: exchange.request)
            var found: [ContractViolation] = []
            if missingId, let v = checks.missingRequestId() { found.append(v) }
            if undeclaredOption, let v = checks.unknownQueryOption() { found.append(v) }
            if getById, let v = try readBeforeTaskSucceeded(route) { found.append(v) }
            if listRefused, let v = checks.fieldListViolation() { found.append(v) }
            if acceptedBody, let v = checks.unknownBodyFields() { found.append(v) }
            if ifMatchAnswered, let key = checks.ifMatchTarget() { found.append(checks.missingIfMatch(key)) }
            for v in found {
                report.record(v, operation: route.operation, request: exchange.request, requestId: exchange.requestId)
            }
        }
        return try outcome.get()
    }

    /// Every rule up front; the first violation is the answer.
    private func strictly(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard let route = exchange.route else { return try next(&exchange) }
        let request = exchange.request
        let checks = RequestChecks(contract: contract, route: route, request: request)
        func reject(_ violation: ContractViolation) -> V4Error {
            report.record(
                violation, operation: route.operation, request: request, requestId: request.headers[Idempotency.header])
            return violation.error(route.operation)
        }
        if let v = checks.missingRequestId() { throw reject(v) }
        if let v = checks.unknownQueryOption() { throw reject(v) }
        if let v = checks.fieldListViolation() { throw reject(v) }
        if let v = checks.unknownBodyFields() { throw reject(v) }
        if let key = checks.ifMatchTarget(), try exists(route, key) { throw reject(checks.missingIfMatch(key)) }
        do {
            let response = try next(&exchange)
            if response.status == 404, route.role.kind == .get, let v = try readBeforeTaskSucceeded(route) {
                throw reject(v)
            }
            return response
        } catch let error as V4Error where error.status == 404 && route.role.kind == .get {
            if let v = try readBeforeTaskSucceeded(route) { throw reject(v) }
            throw error
        }
    }

    static func hasUndeclaredOption(_ query: [(name: String, value: String)], _ parameters: [Parameter]) -> Bool {
        query.contains { item in !parameters.contains { $0.location == .query && $0.name == item.name } }
    }

    /// The roles `Preconditions` requires If-Match for.
    static func needsIfMatch(_ kind: OperationRole.Kind?) -> Bool {
        switch kind {
        case .update?, .delete?, .action(_, onEntity: true)?, .singletonPut?: true
        default: false
        }
    }

    /// A 404 to a GET by extId whose entity a task not yet succeeded creates.
    private func readBeforeTaskSucceeded(_ route: Route) throws -> ContractViolation? {
        guard let extId = route.role.itemParameter.flatMap({ route.parameters[$0] }),
            let pending = try PendingCreation(store: store, contract: contract).task(
                creating: extId, in: route.operation.namespace)
        else { return nil }
        return ContractViolation(
            .readBeforeTaskSucceeded,
            "\(route.operation.operationId): \(extId) is created by task \(pending.taskExtId) "
                + "(\(pending.operationId)), which is \(pending.status); wait for SUCCEEDED and read the extId from its entitiesAffected or "
                + "completionDetails",
            [("extId", extId), ("taskExtId", pending.taskExtId), ("taskStatus", pending.status)])
    }

    /// A change to an entity that does not exist is the engine's 404, not a precondition.
    private func exists(_ route: Route, _ key: String) throws -> Bool {
        try store.get(namespace: route.operation.namespace, kind: route.role.collection, extId: key) != nil
    }
}
