import FoundationEssentials

/// Reads on one connection inside one read transaction: every call sees the same committed state, however
/// many writes commit meanwhile (WAL snapshot, https://sqlite.org/wal.html#concurrency).
///
/// Valid only inside the closure it is given to.
public struct StoreReadView {
    let database: Database
    /// The store clock's time when the view was opened; expiry checks use it.
    public let now: Date

    public func get(namespace: String, kind: String, extId: String) throws -> StoredEntity? {
        try database.entity(namespace: namespace, kind: kind, extId: extId)
    }

    /// A page of one kind (optionally of one parent), filtered by a `whereSQL` fragment with `arguments` bound to
    /// its `?` placeholders, ordered by `orderBySQL` then `extId`; see `StoreSchema` for the column names.
    ///
    /// Fragment rules: plain `?` placeholders only (no `?NNN`, `:name`), none in `orderBySQL`; one expression,
    /// no `;` (a second statement is rejected). `totalCount` counts every row matching the filter; without a
    /// filter or parent it comes from the per-kind counter, not a scan.
    public func list(
        namespace: String, kind: String, parentExtId: String? = nil, whereSQL: String? = nil,
        orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0
    ) throws -> EntityPage {
        try database.listEntities(
            namespace: namespace, kind: kind, parentExtId: parentExtId, whereSQL: whereSQL, orderBySQL: orderBySQL,
            arguments: arguments, limit: limit, offset: offset)
    }

    /// `list`'s page as each document's stored bytes, handed to `document` in page order and valid only during
    /// that call (no `String` per row, no UTF-8 check: the store only ever holds the text it was given);
    /// returns the total. `expect` hears first how many documents the page holds at most.
    ///
    /// `smallKindWhereSQL`: the same filter written for a small kind (binding the same `arguments`), used instead
    /// of `whereSQL` for a top-level kind of at most `FragmentList.smallKind` rows.
    public func listDocuments(
        namespace: String, kind: String, parentExtId: String? = nil, whereSQL: String? = nil,
        smallKindWhereSQL: String? = nil, orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0,
        expect: (Int) -> Void = { _ in }, document: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> Int {
        try database.listDocuments(
            namespace: namespace, kind: kind, parentExtId: parentExtId, whereSQL: whereSQL,
            smallKindWhereSQL: smallKindWhereSQL, orderBySQL: orderBySQL,
            arguments: arguments, limit: limit, offset: offset, expect: expect, document: document)
    }

    public func task(extId: String) throws -> StoredTask? { try database.task(extId: extId) }

    /// Tasks whose `dueAt` is at or before `now`, earliest first.
    public func dueTasks(limit: Int = 100) throws -> [StoredTask] {
        try database.dueTasks(now: StoreTime.micros(now), limit: limit)
    }

    public func nextTaskDueDate() throws -> Date? { try database.nextTaskDueDate() }

    public func listTasks(
        whereSQL: String? = nil, orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0
    ) throws -> TaskPage {
        try database.listTasks(
            whereSQL: whereSQL, orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset)
    }

    /// The record for `requestId` unless it expired by `now`.
    public func idempotencyRecord(requestId: String) throws -> IdempotencyRecord? {
        try database.idempotencyRecord(requestId: requestId, now: StoreTime.micros(now))
    }

    /// The newest `limit` journal entries, newest last.
    public func recentJournal(limit: Int = 1_000) throws -> [JournalEntry] {
        try database.recentJournal(limit: limit)
    }
}
