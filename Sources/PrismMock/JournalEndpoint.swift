import EntityStore
import HTTPServer
import OData
import PrismAPI

/// `GET /_pcmock/requests[?limit=N]`: the journal, newest last,
/// `{"data":[{"method","path","status","requestId","durationMicros","time"}]}`.
enum JournalEndpoint {
    static let defaultLimit = 1_000
    static let maxLimit = 100_000

    static func handle(_ request: HTTPRequest, journal: RequestJournal) throws -> HTTPResponse {
        var limit = defaultLimit
        for pair in (request.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, kv[0] == "limit" else { continue }
            guard let n = Int(kv[1]), n >= 1, n <= maxLimit else {
                throw V4Error.badRequest("prism", "limit must be a whole number from 1 to \(maxLimit)")
            }
            limit = n
        }
        var items: [JSON] = []
        for e in try journal.recent(limit: limit) {
            items.append(
                .object(
                    JSONObject([
                        ("method", .string(e.method)), ("path", .string(e.path)), ("status", .int(Int64(e.status))),
                        ("requestId", e.requestId.map(JSON.string) ?? .null),
                        ("durationMicros", .int(e.durationMicros)),
                        ("time", .string(Timestamp.rfc3339(e.recordedAt))),
                    ])))
        }
        return .json(200, JSON.object(JSONObject([("data", .array(items))])).text)
    }
}
