import CSQLite

/// One SQLite connection: owns the handle (closed in `deinit`) and a cache of prepared statements keyed by SQL text.
///
/// `@unchecked Sendable` because a connection moves between threads but is only ever used by one at a time:
/// the writer connection only runs on the store's writer queue, and a reader connection is checked out of
/// `ReaderPool` exclusively. Connections are opened with `SQLITE_OPEN_NOMUTEX` (multi-thread mode), which
/// SQLite documents as safe under exactly that discipline (https://sqlite.org/threadsafe.html).
final class Database: @unchecked Sendable {
    let handle: OpaquePointer
    let path: String
    private var statements: [String: Statement] = [:]

    /// Lists are compiled from client filters, so their SQL text is open-ended; the cache is bounded.
    static let statementCacheLimit = 256

    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws(SQLiteError) {
        self.path = path
        var flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE
        flags |= readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let error = SQLiteError(connection: opened, code: code, sql: nil)
            sqlite3_close_v2(opened)  // a handle is returned even on failure, and must be released
            throw error
        }
        handle = opened
        // Defensive mode: fragments handed to `list` cannot corrupt the file through writable_schema & co.
        for code in [
            sqlite3_extended_result_codes(opened, 1), pcmock_sqlite_db_config_defensive(opened, 1),
            sqlite3_busy_timeout(opened, busyTimeoutMilliseconds),
        ] where code != SQLITE_OK {
            throw SQLiteError(connection: opened, code: code, sql: nil)
        }
    }

    deinit {
        statements.removeAll()  // finalize before closing, so the close is not deferred as a zombie
        sqlite3_close_v2(handle)
    }

    /// Runs SQL text without values (DDL, pragmas, BEGIN/COMMIT); may hold several statements.
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// A cached statement, reset and with cleared bindings; reset again after `body` so that no read
    /// transaction stays open on a half-stepped SELECT.
    func withStatement<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let cached = statements[sql] {
            statement = cached
        } else {
            statement = try Statement(connection: handle, sql: sql, persistent: true)
            if statements.count >= Self.statementCacheLimit { statements.removeAll(keepingCapacity: true) }
            statements[sql] = statement
        }
        defer { statement.reset() }
        return try body(statement)
    }

    /// Binds `arguments`, steps to the end, returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            try statement.run()
            return changes
        }
    }

    func scalarInt(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            return try statement.step() && !statement.isNull(0) ? statement.int64(0) : nil
        }
    }

    func scalarText(_ sql: String, _ arguments: [SQLValue] = []) throws -> String? {
        try withStatement(sql) { statement in
            try statement.bind(arguments)
            return try statement.step() ? statement.optionalText(0) : nil
        }
    }

    var changes: Int { Int(sqlite3_changes64(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Drops every cached statement (e.g. before the schema is replaced by a restore).
    func clearStatementCache() { statements.removeAll() }

    /// Runs `body` inside `begin`…COMMIT, rolled back if `body` throws.
    ///
    /// BEGIN and COMMIT run as cached statements: `sqlite3_exec` parsed them anew each time, which cost a
    /// list read as much as a page's worth of rowid lookups.
    func transaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        try withStatement(begin) { try $0.run() }
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try withStatement("COMMIT") { try $0.run() }
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    private func rollbackQuietly() {
        // SQLite may already have rolled back on its own (https://sqlite.org/lang_transaction.html, "Response
        // To Errors Within A Transaction"); only roll back what is still open.
        if isInTransaction { try? execute("ROLLBACK") }
    }
}
