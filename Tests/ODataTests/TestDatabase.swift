import CSQLite
import Foundation
import OData

struct TestDatabaseError: Error, CustomStringConvertible {
    var description: String
}

/// An in-memory SQLite database holding documents in `entities(kind, extId, document)`, just enough
/// to run a compiled filter with its bound arguments. Not a general wrapper (EntityStore has that).
final class TestDatabase {
    private var handle: OpaquePointer?

    init() throws {
        guard sqlite3_open(":memory:", &handle) == SQLITE_OK else { throw TestDatabaseError(description: "open") }
        // Hot-field columns without a declared type, so they keep json_extract's value types.
        let hot = TestDatabase.hotColumns.map { path, column in
            let jsonPath = "$." + path.replacingOccurrences(of: "/", with: ".")
            return "\(column) GENERATED ALWAYS AS (json_extract(document, '\(jsonPath)')) "
                + (column.hasSuffix("_v") ? "VIRTUAL" : "STORED")
        }
        try execute("CREATE TABLE entities(kind TEXT, extId TEXT, document TEXT, \(hot.joined(separator: ", ")))")
    }

    static let hotColumns = [
        "name": "h_name", "cluster/extId": "h_cluster_v", "tags": "h_tags", "disks": "h_disks_v",
        "createTime": "h_create", "isActive": "h_active_v", "cpuRatio": "h_ratio",
    ]

    deinit { sqlite3_close(handle) }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw TestDatabaseError(description: String(cString: sqlite3_errmsg(handle)))
        }
    }

    func insert(_ documents: [JSON]) throws {
        try execute("BEGIN")
        for (index, document) in documents.enumerated() {
            var statement: OpaquePointer?
            guard
                sqlite3_prepare_v2(
                    handle, "INSERT INTO entities(rowid, kind, extId, document) VALUES (?, 'vm', ?, ?)",
                    -1, &statement, nil) == SQLITE_OK
            else { throw TestDatabaseError(description: String(cString: sqlite3_errmsg(handle))) }
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_int64(statement, 1, Int64(index))
            sqlite3_bind_text(statement, 2, "id-\(index)", -1, pcmock_sqlite_transient())
            sqlite3_bind_text(statement, 3, document.text, -1, pcmock_sqlite_transient())
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw TestDatabaseError(description: String(cString: sqlite3_errmsg(handle)))
            }
        }
        try execute("COMMIT")
    }

    /// Row ids (document indexes) selected by `sql`, which may contain `?` bound from `arguments`.
    func rowids(_ sql: String, _ arguments: [SQLArgument]) throws -> [Int] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw TestDatabaseError(description: String(cString: sqlite3_errmsg(handle)) + " in " + sql)
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
        var result: [Int] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw TestDatabaseError(description: String(cString: sqlite3_errmsg(handle)) + " in " + sql)
            }
            result.append(Int(sqlite3_column_int64(statement, 0)))
        }
        return result
    }

    func matching(_ fragment: SQLFragment) throws -> [Int] {
        try rowids("SELECT rowid FROM entities WHERE " + fragment.sql + " ORDER BY rowid", fragment.arguments)
    }
}
