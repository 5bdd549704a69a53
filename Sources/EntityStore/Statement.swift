import CSQLite

/// One prepared statement: prepared in `init`, finalized in `deinit`, bound by 1-based index.
///
/// Not thread-safe: it belongs to its `Database`, which is used by one thread at a time.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    private let connection: OpaquePointer

    init(connection: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        self.connection = connection
        self.sql = sql
        var prepared: OpaquePointer?
        var tailIsBlank = true
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(connection, text, -1, flags, &prepared, &tail)
            // A second statement after the first would silently be ignored; fragments must not smuggle one in.
            if rc == SQLITE_OK, let tail { tailIsBlank = Statement.isBlank(tail) }
            return rc
        }
        guard code == SQLITE_OK, let prepared else {
            throw SQLiteError(connection: connection, code: code, sql: sql)
        }
        guard tailIsBlank else {
            sqlite3_finalize(prepared)
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "more than one statement in SQL text", sql: sql)
        }
        handle = prepared
    }

    deinit { sqlite3_finalize(handle) }

    private static func isBlank(_ tail: UnsafePointer<CChar>) -> Bool {
        var cursor = tail
        while cursor.pointee != 0 {
            switch cursor.pointee {
            case 0x20, 0x09, 0x0a, 0x0d, 0x3b: cursor += 1  // whitespace and a trailing ';'
            default: return false
            }
        }
        return true
    }

    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Back to the start, bindings cleared, implicit read transaction released.
    func reset() {
        // sqlite3_reset repeats the error of the last step, which `step()` already reported.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ values: [SQLValue], startingAt first: Int32 = 1) throws(SQLiteError) {
        var index = first
        for value in values {
            try bind(value, at: index)
            index += 1
        }
    }

    func bind(_ value: SQLValue, at index: Int32) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
        case .real(let number): code = sqlite3_bind_double(handle, index, number)
        case .text(let string): code = bindText(string, at: index)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { raw in
                // A nil base address would bind NULL, not an empty blob.
                raw.count == 0
                    ? sqlite3_bind_zeroblob(handle, index, 0)
                    : sqlite3_bind_blob64(handle, index, raw.baseAddress, UInt64(raw.count), pcmock_sqlite_transient())
            }
        }
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: sql) }
    }

    func bind(_ string: String, at index: Int32) throws(SQLiteError) {
        let code = bindText(string, at: index)
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: sql) }
    }

    func bind(_ number: Int64, at index: Int32) throws(SQLiteError) {
        let code = sqlite3_bind_int64(handle, index, number)
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: sql) }
    }

    func bind(_ string: String?, at index: Int32) throws(SQLiteError) {
        guard let string else { return try bind(SQLValue.null, at: index) }
        try bind(string, at: index)
    }

    private func bindText(_ string: String, at index: Int32) -> Int32 {
        var text = string
        return text.withUTF8 { utf8 in
            // Length given explicitly: embedded NULs survive, and "" is not turned into NULL.
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                return sqlite3_bind_text(handle, index, "", 0, pcmock_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(
                    handle, index, $0, UInt64(utf8.count), pcmock_sqlite_transient(), UInt8(SQLITE_UTF8))
            }
        }
    }

    /// Advances one row: `true` when a row is ready to read, `false` when done.
    func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(connection: connection, code: code, sql: sql)
        }
    }

    /// Steps until done; for statements that return no rows (or whose rows are not needed).
    func run() throws(SQLiteError) {
        while try step() {}
    }

    // MARK: Columns (0-based, valid after `step()` returned true)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The column's text in place, without a copy or a UTF-8 check: valid only until the next step, reset or
    /// column call on this statement.
    func textBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(int64(column))
        case SQLITE_FLOAT: return .real(double(column))
        case SQLITE_TEXT: return .text(text(column))
        case SQLITE_BLOB: return .blob(blob(column))
        default: return .null
        }
    }
}
