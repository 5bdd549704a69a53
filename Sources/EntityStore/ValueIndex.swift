/// The declared `ValuePath`s of each kind with their ids in `value_paths`, and per kind the one statement that
/// writes an entity's rows. Built once when the store opens; immutable after.
struct ValueIndex: Sendable {
    struct Kind: Sendable {
        var ids: [ValuePath: Int64] = [:]
        /// `INSERT INTO entity_values … SELECT` of every declared path, `?1` the entity's rowid, `?2` its
        /// document. One statement, so that SQLite parses the document once: within a statement its JSON
        /// functions share a cache of parsed texts (https://sqlite.org/json1.html, "JSON parse caching").
        var insertSQL = ""
        /// Deletes one entity's rows (`?` its rowid) through the primary key: `path IN (…) AND entity = ?`.
        var deleteSQL = ""
    }

    private(set) var kinds: [String: Kind] = [:]

    static let empty = ValueIndex()

    func ids(kind: String) -> [ValuePath: Int64] { kinds[kind]?.ids ?? [:] }

    func insertSQL(kind: String) -> String? { kinds[kind]?.insertSQL }

    func deleteSQL(kind: String) -> String? { kinds[kind]?.deleteSQL }

    /// Registers every declared path (creating ids and filling rows for paths new to the database) and drops
    /// the rows and ids of paths no longer declared. Runs inside the caller's write transaction.
    static func sync(_ declared: [String: [ValuePath]], in database: Database) throws -> ValueIndex {
        for (_, paths) in declared {
            for path in paths where !path.isValid { throw StoreError.invalidJSONPath(path.key) }
        }
        var stored: [String: [String: Int64]] = [:]
        try database.withStatement("SELECT id, kind, path FROM value_paths") { statement in
            while try statement.step() { stored[statement.text(1), default: [:]][statement.text(2)] = statement.int64(0) }
        }
        for (kind, paths) in stored {
            let keep = Set(declared[kind]?.map(\.key) ?? [])
            for (path, id) in paths where !keep.contains(path) {
                try database.run("DELETE FROM entity_values WHERE path = ?", [.integer(id)])
                try database.run("DELETE FROM value_paths WHERE id = ?", [.integer(id)])
            }
        }
        var index = ValueIndex()
        var indexedIDs: [Int64] = []
        for (kind, paths) in declared where !paths.isEmpty {
            var entry = Kind()
            var arms: [String] = []
            var unique: [String: ValuePath] = [:]
            for path in paths { unique[path.key] = unique[path.key].map { $0.indexed ? $0 : path } ?? path }
            for path in unique.values.sorted(by: { $0.key < $1.key }) {
                let id: Int64
                if let known = stored[kind]?[path.key] {
                    id = known
                } else {
                    try database.run("INSERT INTO value_paths(kind, path) VALUES (?, ?)", [.text(kind), .text(path.key)])
                    id = database.lastInsertRowID
                    // The rows of entities stored before the path was declared (an older file, a new declaration).
                    try database.run(
                        "INSERT INTO entity_values(entity, path, ordinal, value) "
                            + select(path, id: id, entity: "e.rowid", document: "e.document")
                            + (path.array == nil ? " FROM entities AS e WHERE e.kind = ?" : " AND e.kind = ?"),
                        [.text(kind)])
                }
                entry.ids[path] = id
                if path.indexed { indexedIDs.append(id) }
                arms.append(select(path, id: id, entity: "?1", document: "?2"))
            }
            entry.insertSQL = "INSERT INTO entity_values(entity, path, ordinal, value) " + arms.joined(separator: " UNION ALL ")
            let ids = entry.ids.values.sorted().map(String.init).joined(separator: ", ")
            entry.deleteSQL = "DELETE FROM entity_values WHERE path IN (\(ids)) AND entity = ?"
            index.kinds[kind] = entry
        }
        try syncValueIndex(indexedIDs.sorted(), in: database)
        return index
    }

    /// The (path, value) index, partial on the indexed paths' ids: a query names its path id as a literal
    /// (`path = 7`), which is what lets SQLite use a partial index (https://sqlite.org/partialindex.html);
    /// `path = 7` implies one term of an OR, but not `path IN (…)`.
    /// Recreated only when the set of ids changed.
    private static func syncValueIndex(_ ids: [Int64], in database: Database) throws {
        let name = "entity_values_by_value"
        let wanted =
            ids.isEmpty
            ? nil
            : "CREATE INDEX \(name) ON entity_values(path, value) WHERE "
                + ids.map { "path = \($0)" }.joined(separator: " OR ")
        let current = try database.scalarText(
            "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", [.text(name)])
        guard current != wanted else { return }
        // DDL takes no bound values; the ids are integers from value_paths.
        var sql = "DROP INDEX IF EXISTS \(name); DELETE FROM sqlite_stat1 WHERE idx = '\(name)';"
        if let wanted {
            sql += wanted + ";"
            sql += "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('entity_values', '\(name)', '100000 10000 2');"
        }
        try database.execute(sql + "ANALYZE sqlite_schema;")
    }

    /// The rows of one path as a SELECT over `document`. Element paths read the array only when it is one
    /// (a missing, null or scalar "collection" has no elements, as the OData evaluator sees it), and the
    /// member only from object elements, like the SQL compiler's own lambda reads.
    ///
    /// For an element path the text ends inside a WHERE clause (`… WHERE 1`), so callers can append ` AND …`;
    /// with `entity: "e.rowid"` it already names `entities AS e`.
    private static func select(_ path: ValuePath, id: Int64, entity: String, document: String) -> String {
        guard let array = path.array else {
            return "SELECT \(entity), \(id), 0, json_extract(\(document), \(ValuePath.jsonPathLiteral(path.member)))"
        }
        let arrayPath = ValuePath.jsonPathLiteral(array)
        let member =
            path.member.isEmpty
            ? "j.value" : "CASE WHEN j.type = 'object' THEN json_extract(j.value, \(ValuePath.jsonPathLiteral(path.member))) END"
        let from = entity == "?1" ? "" : "entities AS e, "
        return
            "SELECT \(entity), \(id), j.key, \(member) FROM \(from)json_each(CASE WHEN json_type(\(document), "
            + "\(arrayPath)) = 'array' THEN json_extract(\(document), \(arrayPath)) END) AS j WHERE 1"
    }
}

extension Database {
    /// Writes the `entity_values` rows of one entity (none for a kind without declared paths).
    func insertValues(entity rowid: Int64, kind: String, document: String, index: ValueIndex) throws {
        guard let sql = index.insertSQL(kind: kind) else { return }
        try withStatement(sql) { statement in
            try statement.bind(rowid, at: 1)
            try statement.bind(document, at: 2)
            try statement.run()
        }
    }

    func deleteValues(entity rowid: Int64, kind: String, index: ValueIndex) throws {
        guard let sql = index.deleteSQL(kind: kind) else { return }
        try run(sql, [.integer(rowid)])
    }
}
