import CSQLite
import OData

/// The minimum of sqlite3 the benchmark needs: exec, and a timed query with bound arguments.
final class BenchDatabase {
    private var handle: OpaquePointer?

    init(path: String) {
        guard sqlite3_open(path, &handle) == SQLITE_OK else { fatalError("cannot open \(path)") }
    }

    deinit { sqlite3_close(handle) }

    func execute(_ sql: String) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            fatalError("sqlite: \(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
    }

    func insert(_ rows: [(String, String)], table: String) {
        execute("BEGIN")
        var statement: OpaquePointer?
        sqlite3_prepare_v2(
            handle, "INSERT INTO \(table)(kind, extId, document) VALUES ('vmm:ahv:config:vm', ?, ?)", -1,
            &statement, nil)
        for (extId, document) in rows {
            sqlite3_bind_text(statement, 1, extId, -1, pcmock_sqlite_transient())
            sqlite3_bind_text(statement, 2, document, -1, pcmock_sqlite_transient())
            guard sqlite3_step(statement) == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(handle))) }
            sqlite3_reset(statement)
        }
        sqlite3_finalize(statement)
        execute("COMMIT")
    }

    /// Runs `sql` and returns the first column of the first row as an integer.
    func scalar(_ sql: String, _ arguments: [SQLArgument]) -> Int64 {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            fatalError("sqlite: \(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        for (index, argument) in arguments.enumerated() {
            let position = Int32(index + 1)
            switch argument {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let value): sqlite3_bind_int64(statement, position, value)
            case .double(let value): sqlite3_bind_double(statement, position, value)
            case .text(let value): sqlite3_bind_text(statement, position, value, -1, pcmock_sqlite_transient())
            }
        }
        guard sqlite3_step(statement) == SQLITE_ROW else { fatalError(String(cString: sqlite3_errmsg(handle))) }
        return sqlite3_column_int64(statement, 0)
    }

    func plan(_ sql: String, _ arguments: [SQLArgument]) -> String {
        var statement: OpaquePointer?
        sqlite3_prepare_v2(handle, "EXPLAIN QUERY PLAN " + sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        for (index, argument) in arguments.enumerated() {
            if case .text(let value) = argument {
                sqlite3_bind_text(statement, Int32(index + 1), value, -1, pcmock_sqlite_transient())
            }
        }
        var lines: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            lines.append(String(cString: sqlite3_column_text(statement, 3)))
        }
        return lines.joined(separator: "; ")
    }
}
