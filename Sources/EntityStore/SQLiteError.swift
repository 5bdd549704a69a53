import CSQLite

/// A failed SQLite call, as data: callers can `catch` by primary or extended code.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …): the low 8 bits of `extendedCode`.
    public var primaryCode: Int32 { extendedCode & 0xff }
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …), see https://sqlite.org/rescode.html.
    public let extendedCode: Int32
    public let message: String
    /// The statement that failed, if the failure belongs to one.
    public let sql: String?

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// Reads the connection's last error; call right after the failing call, before anything else touches `db`.
    init(connection db: OpaquePointer?, code: Int32, sql: String?) {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? code
        // The connection's error may belong to an earlier call when `code` came from elsewhere (e.g. backup).
        let resolved = (extended & 0xff) == (code & 0xff) ? extended : code
        let text =
            db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(extendedCode: resolved, message: text, sql: sql)
    }

    public var description: String {
        var text = "SQLite error \(primaryCode) (extended \(extendedCode)): \(message)"
        if let sql { text += " — in: \(sql)" }
        return text
    }
}
