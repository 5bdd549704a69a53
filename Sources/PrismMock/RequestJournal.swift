import Dispatch
import EntityStore
import FoundationEssentials
import Synchronization

/// The request journal's front: a request is one append to a bounded in-memory ring; the ring
/// reaches the store's journal table lazily — before every read, snapshot and restore, at
/// shutdown, and (for a file database only) once a second; a reset drops it.
///
/// Why a ring: the store keeps only its newest `journalCapacity` rows, so of everything that
/// arrived since the last write only that many ever need inserting; the rest would be trimmed
/// in the same transaction. Batching every request into SQLite (a 250 ms timer) cost ~11.5k
/// instructions per request at 50k req/s (callgrind, `GET …/vms/{extId}`); the ring costs an
/// uncontended lock and a few retains.
///
/// What a crash loses: entries appended since the last write. With a file database that is at
/// most the last second (`kill -9`); a `:memory:` store loses everything with the process anyway.
final class RequestJournal: Sendable {
    struct Entry: Sendable {
        var method: String
        /// A slice of the request target (no copy: it keeps the target's storage alive).
        var path: Substring
        var status: Int
        var requestId: String?
        var durationMicros: Int64
        var time: Date
    }

    /// Entries not yet in the store, oldest first once unrolled; at most `capacity`.
    private struct Ring {
        var slots: [Entry] = []
        /// Where the next entry goes once `slots` is full.
        var next = 0

        mutating func append(_ entry: Entry, capacity: Int) {
            if slots.count < capacity {
                slots.append(entry)
            } else {
                slots[next] = entry
                next = next + 1 == capacity ? 0 : next + 1
            }
        }

        /// Everything in arrival order; the ring is empty afterwards (its storage kept).
        mutating func drain() -> [Entry] {
            var ordered = Array(slots[next...])
            ordered.append(contentsOf: slots[..<next])
            removeAll()
            return ordered
        }

        mutating func removeAll() {
            slots.removeAll(keepingCapacity: true)
            next = 0
        }
    }

    /// Files flush on this timer so that a crash loses little; memory stores need no timer.
    static let flushInterval = DispatchTimeInterval.seconds(1)

    private let store: EntityStore
    private let capacity: Int
    private let pending = Mutex(Ring())
    /// Serializes writes so entries reach the store in arrival order.
    private let flushLock = Mutex(())
    private let timer: FlushTimer?

    init(store: EntityStore) {
        self.store = store
        capacity = store.configuration.journalCapacity
        if case .file = store.configuration.location {
            let timer = FlushTimer()
            self.timer = timer
            timer.source.setEventHandler { [weak self] in try? self?.flush() }
            timer.source.resume()
        } else {
            timer = nil
        }
    }

    deinit {
        timer?.source.cancel()
        // A file database keeps the journal across restarts, also when the app is released
        // without `close()`; a memory store would only be written to be thrown away.
        if timer != nil { try? flush() }
    }

    func append(_ entry: Entry) {
        pending.withLock { $0.append(entry, capacity: capacity) }
    }

    /// Writes what the ring holds into the store.
    func flush() throws {
        try flushLock.withLock { _ in
            let batch = pending.withLock { $0.drain() }
            guard !batch.isEmpty else { return }
            try store.write { tx in
                try tx.appendJournal(
                    batch.lazy.map {
                        (
                            method: $0.method, path: String($0.path), status: $0.status, requestId: $0.requestId,
                            durationMicros: $0.durationMicros, recordedAt: $0.time
                        )
                    })
            }
        }
    }

    /// Forgets what the ring holds, for a reset that empties the journal anyway: writing up to
    /// `capacity` rows only to delete them in the next transaction would slow every reset.
    func discardPending() {
        flushLock.withLock { _ in
            pending.withLock { $0.removeAll() }
        }
    }

    /// The newest `limit` entries, newest last, everything pending included.
    func recent(limit: Int) throws -> [JournalEntry] {
        try flush()
        return try store.read { try $0.recentJournal(limit: limit) }
    }
}

/// The flush timer. `@unchecked Sendable` is safe because `source` never changes after init and
/// libdispatch sources may be resumed, cancelled and given handlers from any thread.
private final class FlushTimer: @unchecked Sendable {
    let source: any DispatchSourceTimer

    init() {
        source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "pcmock.journal", qos: .utility))
        source.schedule(deadline: .now() + RequestJournal.flushInterval, repeating: RequestJournal.flushInterval)
    }
}
