import Dispatch
import HTTPServer

/// First in the chain, so it sees every answer: 401s, 429s and errors included (DESIGN.md).
/// Durations come from the monotonic clock, times from the app's (injectable) clock.
struct JournalMiddleware: Middleware {
    let journal: RequestJournal

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 500
        defer {
            let micros = Int64((DispatchTime.now().uptimeNanoseconds &- start) / 1_000)
            journal.append(
                .init(
                    method: exchange.request.method, path: String(exchange.request.path), status: status,
                    requestId: exchange.requestId, durationMicros: micros, time: exchange.receivedAt))
        }
        let response = try next(&exchange)
        // 0: no status line ever went out (a dropped-connection fault).
        status = response.dropConnection ? 0 : response.status
        return response
    }
}
