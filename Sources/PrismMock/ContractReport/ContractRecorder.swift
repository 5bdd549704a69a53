import HTTPServer

/// Counts every answer to a catalog operation for the contract report, right after the
/// journal so that 429s, fault rules and 401s count too. Batch items run through it as well:
/// they are operations the client asked for. It reads the route's fields in place: copying a
/// whole `Route` per request costs more than the counting.
struct ContractRecorder: Middleware {
    let report: ContractReport

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard exchange.route != nil else { return try next(&exchange) }
        do {
            let response = try next(&exchange)
            record(exchange, response.status)
            return response
        } catch let error as V4Error {
            record(exchange, error.status)
            throw error
        } catch {
            record(exchange, 500)
            throw error
        }
    }

    private func record(_ exchange: Exchange, _ status: Int) {
        // One reference to the shared route, read field by field.
        guard let route = exchange.route else { return }
        let namespace = route.operation.namespace
        var item: ContractReport.EntityRef? = nil
        var parent: ContractReport.EntityRef? = nil
        if status < 300 || status == 304 {
            if let p = route.role.itemParameter, let extId = route.parameters[p] {
                item = .init(namespace: namespace, kind: route.role.collection, extId: extId)
            }
            if let p = route.role.parentParameter, let extId = route.parameters[p], let kind = route.role.parentCollection {
                parent = .init(namespace: namespace, kind: kind, extId: extId)
            }
        }
        report.exercised(
            .init(namespace: namespace, operationId: route.operation.operationId), position: route.position,
            status: status, used: item, parent)
    }
}
