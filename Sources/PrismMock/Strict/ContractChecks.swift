import EntityStore
import HTTPServer
import PrismAPI

/// Checks every routed request against the contract (issue 9 point 4). In strict mode
/// (`--strict`, `PUT /_pcmock/config {"strict":true}`) a violation is answered with its rule's
/// 400/428 before anything runs; otherwise the request is served as usual and the violation
/// only recorded in the contract report.
///
/// Cost outside strict mode: a header lookup and the query option names on every request;
/// everything else runs only on answers that already point at a violation (a 400 to a list,
/// a 404 to a GET by extId, a change accepted without If-Match), plus the body walk of an
/// accepted change.
struct ContractChecks: Middleware {
    let contract: Contract
    let config: RuntimeConfig
    let store: EntityStore
    let report: ContractReport

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard let route = exchange.route else { return try next(&exchange) }
        let request = exchange.request
        let strict = config.current.strict
        let checks = RequestChecks(contract: contract, route: route, request: request)
        let requestId = exchange.requestId
        func found(_ violation: ContractViolation) throws {
            report.record(violation, operation: route.operation, request: request, requestId: requestId)
            if strict { throw violation.error(route.operation) }
        }

        if let v = checks.missingRequestId() { try found(v) }
        if !route.target.query.isEmpty, let v = checks.unknownQueryOption() { try found(v) }
        let ifMatchTarget = checks.ifMatchTarget()
        if strict {
            if let v = checks.fieldListViolation() { try found(v) }
            if let v = checks.unknownBodyFields() { try found(v) }
            if let key = ifMatchTarget, try exists(route, key) { try found(checks.missingIfMatch(key)) }
        }

        let response: HTTPResponse
        do {
            response = try next(&exchange)
        } catch let error as V4Error {
            try afterwards(error.status, checks, strict: strict, ifMatchTarget: ifMatchTarget, found)
            throw error
        }
        try afterwards(response.status, checks, strict: strict, ifMatchTarget: ifMatchTarget, found)
        return response
    }

    /// The checks that need the answer: a 404 may be a read before the creating task succeeded
    /// (in strict mode the rule's 400 replaces it); outside strict mode the rules that were
    /// not checked up front are classified from the answer.
    private func afterwards(
        _ status: Int, _ checks: RequestChecks, strict: Bool, ifMatchTarget: String?,
        _ found: (ContractViolation) throws -> Void
    ) throws {
        let route = checks.route
        if status == 404, route.role.kind == .get, let extId = route.role.itemParameter.flatMap({ route.parameters[$0] }),
            let pending = try PendingCreation(store: store, contract: contract).task(
                creating: extId, in: route.operation.namespace)
        {
            try found(ContractViolation(
                .readBeforeTaskSucceeded,
                "\(route.operation.operationId): \(extId) is created by task \(pending.taskExtId) "
                    + "(\(pending.operationId)), which is \(pending.status); wait for SUCCEEDED and read the extId "
                    + "from its entitiesAffected or completionDetails",
                [("extId", extId), ("taskExtId", pending.taskExtId), ("taskStatus", pending.status)]))
        }
        guard !strict else { return }
        if status == 400, let v = checks.fieldListViolation() { try found(v) }
        if status < 300, let v = checks.unknownBodyFields() { try found(v) }
        if let key = ifMatchTarget, status < 300 || status == 428 { try found(checks.missingIfMatch(key)) }
    }

    /// A change to an entity that does not exist is the engine's 404, not a precondition.
    private func exists(_ route: Route, _ key: String) throws -> Bool {
        try store.get(namespace: route.operation.namespace, kind: route.role.collection, extId: key) != nil
    }
}
