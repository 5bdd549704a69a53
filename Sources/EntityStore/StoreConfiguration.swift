import FoundationEssentials

/// How an `EntityStore` is opened.
public struct StoreConfiguration: Sendable {
    public enum Location: Sendable, Equatable {
        /// Private to this store and gone when it is released.
        ///
        /// Backed by a temporary WAL file, not a shared-cache memory URI: with shared cache, readers take
        /// table-level locks and fail with `SQLITE_LOCKED` while the writer has the table locked (busy_timeout
        /// does not apply), so there is neither concurrency nor snapshot isolation. Measured with 100,000
        /// 1.5 KB rows: shared-cache insert 1.07 s and a concurrent count failed "database table is locked";
        /// temp file with WAL + synchronous=OFF inserted in 1.2–1.6 s and the reader counted in 7–20 ms
        /// while the writer held its transaction open.
        case memory
        /// A database file that persists across restarts.
        case file(String)
    }

    public var location: Location
    /// Read-only connections for reads outside `write`.
    public var readerCount: Int
    /// `synchronous=FULL` instead of `NORMAL` for files: survives power loss, not just process crashes.
    public var fullSync: Bool
    public var busyTimeoutMilliseconds: Int32
    /// The journal keeps the newest `journalCapacity` rows.
    public var journalCapacity: Int
    /// Where `createdAt`/`updatedAt` and "now" come from; inject a fixed clock in tests.
    public var clock: @Sendable () -> Date
    /// Per kind, the document paths kept in `entity_values` (see `ValuePath`); a file database opened with
    /// a different set is brought up to it (rows of dropped paths deleted, new paths filled) at open.
    public var valuePaths: [String: [ValuePath]]
    /// Element paths of task documents kept in `entity_values` (keyed by the `tasks` rowid); scalar paths are
    /// refused, as tasks keep their filtered scalars (status, times) in columns already.
    public var taskValuePaths: [ValuePath]

    public init(
        location: Location = .memory,
        readerCount: Int = 4,
        fullSync: Bool = false,
        busyTimeoutMilliseconds: Int32 = 5_000,
        journalCapacity: Int = 1_000,
        clock: @escaping @Sendable () -> Date = { Date() },
        valuePaths: [String: [ValuePath]] = [:],
        taskValuePaths: [ValuePath] = []
    ) {
        self.location = location
        self.readerCount = max(1, readerCount)
        self.fullSync = fullSync
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.journalCapacity = max(1, journalCapacity)
        self.clock = clock
        self.valuePaths = valuePaths
        self.taskValuePaths = taskValuePaths
    }
}
