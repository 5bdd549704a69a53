import CSQLite
import Dispatch
import FoundationEssentials
import Glibc

/// The SQLite store behind every entity, task, idempotency record and journal entry.
///
/// One writer connection confined to a serial queue (`write`), plus a pool of read-only WAL connections
/// (`read`, `get`, `list`). All calls are synchronous and block: call them from Dispatch worker queues, not
/// from Swift's cooperative pool.
public final class EntityStore: Sendable {
    public let configuration: StoreConfiguration
    /// The database file (a private temporary file for `.memory`).
    public let path: String
    let writeQueue: DispatchQueue
    let writer: WriterConnection
    private let readers: ReaderPool
    let cache = EntityCache()
    /// The declared value paths and their ids; fixed for the store's lifetime.
    let values: ValueIndex
    private let isTemporary: Bool

    public init(_ configuration: StoreConfiguration = StoreConfiguration()) throws {
        self.configuration = configuration
        switch configuration.location {
        case .memory:
            let name = "pcmock-store-\(UUID().uuidString).sqlite"
            path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
            isTemporary = true
        case .file(let file):
            path = file
            isTemporary = false
        }
        let timeout = configuration.busyTimeoutMilliseconds
        do {
            let database = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: timeout)
            try Self.configureWriter(database, configuration: configuration)
            let created = try StoreSchema.migrate(database)
            var declared = configuration.valuePaths
            if !configuration.taskValuePaths.isEmpty { declared[ValueIndex.taskKind] = configuration.taskValuePaths }
            values = try database.transaction("BEGIN IMMEDIATE") {
                try ValueIndex.sync(declared, in: database, empty: created)
            }
            writer = WriterConnection(database: database)
            readers = ReaderPool(capacity: configuration.readerCount) { [path] in
                let reader = try Database(path: path, readOnly: true, busyTimeoutMilliseconds: timeout)
                try reader.execute("PRAGMA cache_size = -16384")
                return reader
            }
        } catch {
            if isTemporary { Self.removeFiles(at: path) }
            throw error
        }
        writeQueue = DispatchQueue(label: "pcmock.store.writer")
        writeQueue.setSpecific(key: WriterConnection.queueKey, value: ObjectIdentifier(writer))
    }

    deinit {
        close()
    }

    /// Closes every connection and, for a `.memory` store, deletes its temporary files. A process
    /// that exits without releasing the store (`exit` runs no deinit) calls this first, or the
    /// files stay behind. Idempotent; any later use of the store throws `StoreError.closed`.
    public func close() {
        // Close before deleting, so that SQLite does not recreate -wal/-shm on its way out.
        readers.close()
        writeQueue.sync { writer.close() }  // a checkpoint may still be queued
        if isTemporary { Self.removeFiles(at: path) }
    }

    private static func configureWriter(_ database: Database, configuration: StoreConfiguration) throws {
        // A temporary store promises nothing across crashes, so it skips fsync; files keep WAL's NORMAL
        // (durable against process crashes) or FULL (durable against power loss too),
        // https://sqlite.org/pragma.html#pragma_synchronous. Set before the switch to WAL: that switch
        // writes a new file's first pages in a rollback-journal transaction, which otherwise syncs
        // the file and its journal (four fdatasyncs on the way to the ready line).
        let sync =
            switch configuration.location {
            case .memory: "OFF"
            case .file: configuration.fullSync ? "FULL" : "NORMAL"
            }
        try database.execute("PRAGMA synchronous = \(sync)")
        let mode = try database.scalarText("PRAGMA journal_mode = WAL")
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(extendedCode: SQLITE_ERROR, message: "journal_mode is \(mode ?? "unknown"), not wal")
        }
        try database.execute(
            """
            PRAGMA cache_size = -65536;
            PRAGMA temp_store = MEMORY;
            PRAGMA journal_size_limit = 67108864;
            PRAGMA foreign_keys = OFF;
            """)
    }

    private static func removeFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    // MARK: Transactions

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT` on the writer connection; rolled back if it throws.
    /// The caller blocks until the commit. Throws `StoreError.nestedWrite` when called from inside `write`.
    @discardableResult
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        if DispatchQueue.getSpecific(key: WriterConnection.queueKey) == ObjectIdentifier(writer) {
            throw StoreError.nestedWrite
        }
        return try writeQueue.sync {
            let database = try writer.open()
            let transaction = StoreTransaction(
                database: database, now: configuration.clock(), journalCapacity: configuration.journalCapacity,
                values: values)
            let result = try database.transaction("BEGIN IMMEDIATE") { try body(transaction) }
            cache.invalidate(transaction.changes)
            scheduleCheckpointIfDue()
            return result
        }
    }

    /// Checkpoints run after the caller got its answer, not inside its commit as SQLite's automatic checkpoint
    /// would: a large WAL (a bulk load, a restore) costs its checkpoint to the next queued work, not to the
    /// request that crossed the threshold. Must run on `writeQueue`.
    private func scheduleCheckpointIfDue() {
        guard writer.walFrames >= WriterConnection.checkpointFrames else { return }
        writer.walFrames = 0
        writeQueue.async { [writer] in writer.checkpoint() }
    }

    /// Runs `body` on a pooled read-only connection inside one read transaction (a consistent snapshot).
    @discardableResult
    public func read<T>(_ body: (StoreReadView) throws -> T) throws -> T {
        try readers.withReader { database in
            let view = StoreReadView(database: database, now: configuration.clock())
            return try database.transaction("BEGIN") { try body(view) }
        }
    }

    /// `kind`'s declared scalar paths → their `entity_hot` column, for SQL that reads it (`StoreSchema.Hot`).
    public func hotColumns(kind: String) -> [String: String] { values.kind(kind)?.columns ?? [:] }

    /// The ids of `kind`'s declared element paths, for SQL that reads `entity_values` (`StoreSchema.Values`).
    public func valuePathIDs(kind: String) -> [ValuePath: Int64] { values.kind(kind)?.ids ?? [:] }

    /// The ids of the declared task element paths (`StoreConfiguration.taskValuePaths`), for SQL that reads
    /// `entity_values` keyed by the `tasks` rowid.
    public func taskValuePathIDs() -> [ValuePath: Int64] { values.kind(ValueIndex.taskKind)?.ids ?? [:] }

    /// One entity by id, from a reader (a single statement is its own snapshot).
    public func get(namespace: String, kind: String, extId: String) throws -> StoredEntity? {
        let key = EntityCache.Key(namespace: namespace, kind: kind, extId: extId)
        let (hit, generation) = cache.lookup(key)
        if let hit { return hit }
        let entity = try readers.withReader { try $0.entity(namespace: namespace, kind: kind, extId: extId) }
        if let entity { cache.fill(entity, key: key, generation: generation) }
        return entity
    }

    /// See `StoreReadView.list`; the page and the total come from the same snapshot.
    public func list(
        namespace: String, kind: String, parentExtId: String? = nil, whereSQL: String? = nil,
        orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0
    ) throws -> EntityPage {
        try read { view in
            try view.list(
                namespace: namespace, kind: kind, parentExtId: parentExtId, whereSQL: whereSQL,
                orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset)
        }
    }

    /// See `StoreReadView.listDocuments`; the page and the total come from the same snapshot.
    public func listDocuments(
        namespace: String, kind: String, parentExtId: String? = nil, whereSQL: String? = nil,
        smallKindWhereSQL: String? = nil, orderBySQL: String? = nil, arguments: [SQLValue] = [], limit: Int, offset: Int = 0,
        expect: (Int) -> Void = { _ in }, document: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> Int {
        try read { view in
            try view.listDocuments(
                namespace: namespace, kind: kind, parentExtId: parentExtId, whereSQL: whereSQL,
                smallKindWhereSQL: smallKindWhereSQL, orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset, expect: expect,
                document: document)
        }
    }

    /// Empties every table and runs `seed`, all in one transaction: readers see the old state or the new one.
    public func reset(using seed: (StoreTransaction) throws -> Void) throws {
        try write { transaction in
            transaction.changes.clearAll = true
            try transaction.database.execute(
                """
                DELETE FROM entities; DELETE FROM entity_hot; DELETE FROM entity_values; DELETE FROM entity_counts;
                DELETE FROM tasks;
                DELETE FROM idempotency; DELETE FROM journal;
                """)
            try seed(transaction)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound database.
    public func integrityCheck() throws -> [String] {
        try writeQueue.sync {
            let database = try writer.open()
            return try database.withStatement("PRAGMA integrity_check") { statement in
                var lines: [String] = []
                while try statement.step() { lines.append(statement.text(0)) }
                return lines
            }
        }
    }
}

/// The writer connection and the named snapshots.
///
/// `@unchecked Sendable` because its mutable state is only touched on the store's serial `writeQueue`
/// (every access goes through `writeQueue.sync`), and during `deinit`, when no other reference exists.
final class WriterConnection: @unchecked Sendable {
    static let queueKey = DispatchSpecificKey<ObjectIdentifier>()
    /// SQLite's own default threshold (https://sqlite.org/wal.html#automatic_checkpoint): 1000 pages.
    static let checkpointFrames: Int32 = 1_000

    private var database: Database?
    var snapshots: [String: Database] = [:]
    /// Frames in the WAL after the last commit, as SQLite's WAL hook reports them.
    var walFrames: Int32 = 0
    /// Completed background checkpoints (observable by tests).
    private(set) var checkpoints = 0

    init(database: Database) {
        self.database = database
        // Replaces the automatic checkpoint (sqlite3_wal_hook and wal_autocheckpoint share one slot). The
        // context is unretained: the hook belongs to `database`, which this object owns and closes first.
        sqlite3_wal_hook(
            database.handle,
            { context, _, _, frames in
                if let context {
                    Unmanaged<WriterConnection>.fromOpaque(context).takeUnretainedValue().walFrames = frames
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    func checkpoint() {
        guard let database else { return }
        // PASSIVE: copies what no reader still needs, never waits for readers; the next one catches up.
        if sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
            checkpoints += 1
        }
    }

    func open() throws -> Database {
        guard let database else { throw StoreError.closed }
        return database
    }

    func close() {
        snapshots.removeAll()
        database = nil
    }
}
