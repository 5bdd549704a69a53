import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI
import Synchronization

/// Writes one request's idempotency record: as a `CommitHook` inside the effect's transaction,
/// or afterwards by the middleware when nothing ran the hook (errors, services without writes).
/// A class so that the hook, copied into the engine's closure, can tell the middleware it ran.
final class IdempotencyRecorder: Sendable {
    let requestId: String
    let fingerprint: String
    let expiresAt: Date
    private let state: IdempotencyState
    private let recorded = Mutex(false)

    init(requestId: String, fingerprint: String, expiresAt: Date, state: IdempotencyState) {
        self.requestId = requestId
        self.fingerprint = fingerprint
        self.expiresAt = expiresAt
        self.state = state
    }

    var wasRecorded: Bool { recorded.withLock { $0 } }

    /// Only final answers are kept. 401, 408, 429 and every 5xx say "try again": the SDKs retry
    /// 408/429/503/504 with the same id (sdk-contract.md §b), and a throttled or failed first
    /// attempt must not become the answer to the retry.
    static func isFinal(_ status: Int) -> Bool {
        switch status {
        case 200..<300: true
        case 401, 408, 429: false
        case 300..<500: true
        default: false
        }
    }

    func record(_ response: HTTPResponse, in tx: StoreTransaction) throws {
        guard IdempotencyRecorder.isFinal(response.status) else { return }
        var headers: [JSON] = []
        for field in response.headers { headers.append(.array([.string(field.name), .string(field.value)])) }
        try tx.putIdempotencyRecord(
            IdempotencyRecord(
                requestId: requestId, fingerprint: fingerprint, status: response.status,
                headers: JSON.array(headers).text, body: response.body, expiresAt: expiresAt))
        if state.purgeDue(now: tx.now) { try tx.purgeExpiredIdempotencyRecords() }
        recorded.withLock { $0 = true }
    }

    var hook: CommitHook {
        { [self] tx, response in try record(response, in: tx) }
    }

    /// The stored answer as it was sent the first time.
    static func replay(_ record: IdempotencyRecord) -> HTTPResponse {
        var headers = HTTPHeaders()
        for field in (try? JSON.parse(Array(record.headers.utf8)))?.arrayValue ?? [] {
            guard let pair = field.arrayValue, pair.count == 2, let name = pair[0].stringValue,
                let value = pair[1].stringValue
            else { continue }
            headers.add(name, value)
        }
        return HTTPResponse(status: record.status, headers: headers, body: record.body)
    }
}

/// Shared by every request: when expired records were last purged.
final class IdempotencyState: Sendable {
    /// Purging is one indexed DELETE; once a minute keeps the table near its live size.
    static let purgeInterval: TimeInterval = 60
    private let lastPurge = Mutex<Date?>(nil)

    func purgeDue(now: Date) -> Bool {
        lastPurge.withLock { last in
            if let l = last, now.timeIntervalSince(l) < IdempotencyState.purgeInterval, now >= l { return false }
            last = now
            return true
        }
    }
}
