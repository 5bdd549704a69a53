import CSQLite

extension EntityStore {
    /// Saves the whole state under `name` (replacing an older snapshot of that name) into a private in-memory
    /// database, with SQLite's online backup (https://sqlite.org/backup.html).
    public func saveSnapshot(named name: String) throws {
        try writeQueue.sync {
            let source = try writer.open()
            let copy = try Database(path: ":memory:", readOnly: false, busyTimeoutMilliseconds: 0)
            try Self.copy(from: source, to: copy)
            writer.snapshots[name] = copy
        }
    }

    /// Replaces the whole state with the snapshot `name`, atomically for readers.
    public func restoreSnapshot(named name: String) throws {
        try writeQueue.sync {
            let target = try writer.open()
            guard let copy = writer.snapshots[name] else { throw StoreError.snapshotNotFound(name) }
            try Self.copy(from: copy, to: target)
            cache.clear()
            // The backup wrote the whole database into the WAL without passing the WAL hook.
            writeQueue.async { [writer] in writer.checkpoint() }
        }
    }

    @discardableResult
    public func deleteSnapshot(named name: String) -> Bool {
        writeQueue.sync { writer.snapshots.removeValue(forKey: name) != nil }
    }

    public var snapshotNames: [String] {
        writeQueue.sync { writer.snapshots.keys.sorted() }
    }

    private static func copy(from source: Database, to destination: Database) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw SQLiteError(connection: destination.handle, code: sqlite3_errcode(destination.handle), sql: nil)
        }
        // -1: all pages in one step, so the destination never shows a half-copied state.
        let step = sqlite3_backup_step(backup, -1)
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE else {
            throw SQLiteError(extendedCode: step, message: String(cString: sqlite3_errstr(step)), sql: nil)
        }
        guard finish == SQLITE_OK else {
            throw SQLiteError(connection: destination.handle, code: finish, sql: nil)
        }
    }

    /// Adds an expression index on `json_extract(document, jsonPath)` after (namespace, kind), so that
    /// fragments filtering or ordering on that exact expression (e.g. `json_extract(document, '$.name')`) within
    /// a kind use it.
    ///
    /// `rowsPerValue` tells the query planner how many rows of a kind share one value (its only statistics, see
    /// `StoreSchema.migrations`): keep it small for near-unique fields such as `$.name`, so that a filter on the
    /// field uses the index; make it large for fields with a handful of values (`$.powerState`), so that a
    /// default-ordered page walks the by-id index instead of sorting every match.
    ///
    /// One index serves every kind. A per-kind partial index (`WHERE kind = '…'`) would be matched against the
    /// bound `kind = ?` only by making SQLite re-prepare every statement binding `kind` whenever the value
    /// changes (https://sqlite.org/partialindex.html), get-by-id included.
    public func createIndex(jsonPath: String, rowsPerValue: Int = 10) throws {
        guard Self.isSimpleJSONPath(jsonPath) else { throw StoreError.invalidJSONPath(jsonPath) }
        // DDL takes no bound values; the path is spliced only after the grammar check above (no quotes
        // possible), and the index name is its hex spelling, so distinct paths never share a name.
        let name = "entities_by_json_" + jsonPath.utf8.map { String($0, radix: 16) }.joined()
        let stat = "1000000 100000 100000 \(min(max(1, rowsPerValue), 100_000))"
        try write { transaction in
            // A value of a field narrows a kind to a few rows; see the statistics in `StoreSchema.migrations`.
            try transaction.database.execute(
                """
                CREATE INDEX IF NOT EXISTS \(name) ON entities(namespace, kind, json_extract(document, '\(jsonPath)'));
                DELETE FROM sqlite_stat1 WHERE idx = '\(name)';
                INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('entities', '\(name)', '\(stat)');
                ANALYZE sqlite_schema;
                """)
        }
    }

    /// `$` followed by `.key` or `[index]` steps (https://sqlite.org/json1.html#path_arguments), keys limited
    /// to identifier characters.
    static func isSimpleJSONPath(_ path: String) -> Bool {
        var bytes = Substring(path).utf8[...]
        guard bytes.popFirst() == UInt8(ascii: "$"), !bytes.isEmpty else { return false }
        while let first = bytes.popFirst() {
            switch first {
            case UInt8(ascii: "."):
                let key = bytes.prefix { isIdentifierByte($0) }
                guard let head = key.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(head) else {
                    return false
                }
                bytes = bytes.dropFirst(key.count)
            case UInt8(ascii: "["):
                let digits = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                guard !digits.isEmpty else { return false }
                bytes = bytes.dropFirst(digits.count)
                guard bytes.popFirst() == UInt8(ascii: "]") else { return false }
            default:
                return false
            }
        }
        return true
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }
}
