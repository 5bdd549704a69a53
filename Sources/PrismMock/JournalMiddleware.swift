import Dispatch
import HTTPServer

/// First in the chain, so it sees every answer: 401s, 429s and errors included (DESIGN.md).
/// Durations come from the monotonic clock, times from the app's (injectable) clock.
struct JournalMiddleware: Middleware {
    let journal: RequestJournal

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        let start = DispatchTime.now().uptimeNanoseconds
        let response: HTTPResponse
        do {
            response = try next(&exchange)
        } catch {
            record(exchange, status: 500, since: start)
            throw error
        }
        // 0: no status line ever went out (a dropped-connection fault).
        record(exchange, status: response.dropConnection ? 0 : response.status, since: start)
        return response
    }

    /// Reads the exchange in place: a `defer` capturing it copied the whole exchange (and its
    /// route) per request.
    private func record(_ exchange: borrowing Exchange, status: Int, since start: UInt64) {
        let micros = Int64((DispatchTime.now().uptimeNanoseconds &- start) / 1_000)
        journal.append(
            .init(
                method: exchange.request.method, path: exchange.request.path, status: status,
                requestId: exchange.requestId, durationMicros: micros, time: exchange.receivedAt))
    }
}
