import FoundationEssentials

/// One `BEGIN IMMEDIATE … COMMIT` on the writer connection: everything done through it commits together or
/// not at all, so read-check-write sequences (If-Match, idempotency key, task + entity effect) are atomic.
///
/// Valid only inside the `write` closure it is given to.
public struct StoreTransaction {
    let database: Database
    let journalCapacity: Int
    let values: ValueIndex
    /// The store clock's time at `BEGIN`; every row written in this transaction carries it.
    public let now: Date
    let nowMicros: Int64
    /// Read by the store after commit to keep its entity cache true.
    let changes = EntityChanges()

    init(database: Database, now: Date, journalCapacity: Int, values: ValueIndex = .empty) {
        self.database = database
        self.values = values
        self.now = now
        self.nowMicros = StoreTime.micros(now)
        self.journalCapacity = journalCapacity
    }

    /// Reads inside the transaction see its own uncommitted writes.
    public var reads: StoreReadView { StoreReadView(database: database, now: now) }

    public func get(namespace: String, kind: String, extId: String) throws -> StoredEntity? {
        try database.entity(namespace: namespace, kind: kind, extId: extId)
    }

    /// See `StoreReadView.list`.
    public func list(
        namespace: String, kind: String, parentExtId: String? = nil, whereSQL: String? = nil,
        orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0
    ) throws -> EntityPage {
        try reads.list(
            namespace: namespace, kind: kind, parentExtId: parentExtId, whereSQL: whereSQL, orderBySQL: orderBySQL,
            arguments: arguments, limit: limit, offset: offset)
    }

    /// Stores revision 1; throws `StoreError.alreadyExists` (leaving the transaction usable) on a duplicate.
    @discardableResult
    public func insert(_ entity: NewEntity) throws -> StoredEntity {
        changes.keys.append(.init(namespace: entity.namespace, kind: entity.kind, extId: entity.extId))
        return try database.insertEntity(entity, now: nowMicros, values: values)
    }

    /// Bulk load: one prepared statement reused for every row. A duplicate throws `StoreError.alreadyExists`
    /// with the rows before it inserted; let the error end the transaction (rolling all of them back).
    public func insert(contentsOf entities: some Sequence<NewEntity>) throws {
        changes.clearAll = true
        try database.insertEntities(entities, now: nowMicros, values: values)
    }

    /// Compare-and-set: replaces the document only if the stored revision is `expectedRevision`
    /// (unconditionally when nil).
    public func replace(
        namespace: String, kind: String, extId: String, document: String, expectedRevision: Int64?
    ) throws -> WriteOutcome {
        changes.keys.append(.init(namespace: namespace, kind: kind, extId: extId))
        return try database.replaceEntity(
            namespace: namespace, kind: kind, extId: extId, document: document, expectedRevision: expectedRevision,
            now: nowMicros, values: values)
    }

    /// Compare-and-set delete; with `cascade`, children (entities whose `parentExtId` is this one, recursively)
    /// go too.
    public func delete(
        namespace: String, kind: String, extId: String, expectedRevision: Int64?, cascade: Bool = true
    ) throws -> WriteOutcome {
        changes.clearAll = true
        return try database.deleteEntity(
            namespace: namespace, kind: kind, extId: extId, expectedRevision: expectedRevision, cascade: cascade,
            values: values)
    }

    /// Deletes every descendant of `parentExtId`; returns how many rows went.
    @discardableResult
    public func deleteChildren(of parentExtId: String) throws -> Int {
        changes.clearAll = true
        return try database.deleteDescendants(of: parentExtId, values: values)
    }

    // MARK: Tasks

    /// Inserts or updates the task; `createdAt` is kept from the first insert.
    @discardableResult
    public func upsertTask(
        extId: String, status: String, dueAt: Date?, effect: String? = nil, document: String
    ) throws -> StoredTask {
        try database.upsertTask(
            extId: extId, status: status, dueAt: dueAt, effect: effect, document: document, now: nowMicros,
            values: values)
    }

    public func task(extId: String) throws -> StoredTask? { try database.task(extId: extId) }

    public func dueTasks(limit: Int = 100) throws -> [StoredTask] { try reads.dueTasks(limit: limit) }

    public func listTasks(
        whereSQL: String? = nil, orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0
    ) throws -> TaskPage {
        try reads.listTasks(
            whereSQL: whereSQL, orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset)
    }

    // MARK: Idempotency

    public func idempotencyRecord(requestId: String) throws -> IdempotencyRecord? {
        try database.idempotencyRecord(requestId: requestId, now: nowMicros)
    }

    /// Inserts or overwrites the record for its request id.
    public func putIdempotencyRecord(_ record: IdempotencyRecord) throws {
        try database.putIdempotencyRecord(record)
    }

    /// Deletes records that expired by `now`; returns how many.
    @discardableResult
    public func purgeExpiredIdempotencyRecords() throws -> Int {
        try database.purgeExpiredIdempotencyRecords(now: nowMicros)
    }

    // MARK: Journal

    /// Appends one request and drops the oldest beyond the configured capacity; returns its sequence.
    @discardableResult
    public func appendJournal(
        method: String, path: String, status: Int, requestId: String?, durationMicros: Int64
    ) throws -> Int64 {
        try database.appendJournal(
            method: method, path: path, status: status, requestId: requestId, durationMicros: durationMicros,
            now: nowMicros, capacity: journalCapacity)
    }

    public func recentJournal(limit: Int = 1_000) throws -> [JournalEntry] {
        try database.recentJournal(limit: limit)
    }
}
