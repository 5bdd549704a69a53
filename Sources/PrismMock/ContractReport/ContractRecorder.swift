import HTTPServer

/// Counts every answer to a catalog operation for the contract report, right after the
/// journal so that 429s, fault rules and 401s count too. Batch items run through it as well:
/// they are operations the client asked for.
struct ContractRecorder: Middleware {
    let report: ContractReport

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard let route = exchange.route else { return try next(&exchange) }
        let response: HTTPResponse
        do {
            response = try next(&exchange)
        } catch let error as V4Error {
            report.exercised(route, status: error.status)
            throw error
        } catch {
            report.exercised(route, status: 500)
            throw error
        }
        report.exercised(route, status: response.status)
        return response
    }
}
