/// The declared `ValuePath`s of each kind: scalar paths with their `entity_hot` slot, element paths with their
/// id in `value_paths`, and per kind the statements that write and delete an entity's rows. Built once when the
/// store opens; immutable after.
struct ValueIndex: Sendable {
    struct Kind: Sendable {
        /// Scalar path → `entity_hot` column (`h0`…).
        var columns: [String: String] = [:]
        var ids: [ValuePath: Int64] = [:]
        /// `SELECT <expr>…` over the document bound to `?1`: every scalar's value, then the text of every
        /// element path's array (NULL unless it is an array). One statement, so the document is parsed once
        /// (its JSON functions share one parse, https://sqlite.org/json1.html); the rows are then written with
        /// bound values. Measured cheaper than a RETURNING clause on the entity's INSERT, which SQLite buffers
        /// in a temporary table per execution.
        var extractSQL = ""
        var scalarCount = 0
        var arrayCount = 0
        /// `?1` the entity's rowid, then the scalars' values.
        var insertHotSQL: String?
        /// `?1` the entity's rowid, then the arrays' texts.
        var insertValuesSQL: String?
        /// Deletes one entity's element rows (`?` its rowid) through the primary key.
        var deleteValuesSQL: String?
        /// What `DocumentValues` reads, in the order of `extractSQL`'s columns: each scalar's keys, then each
        /// array's.
        var keyPaths: [[String]] = []
        /// Per element path: its id, its array's position among the arrays, its member's keys.
        var elements: [(id: Int64, array: Int, member: [String])] = []
    }

    private(set) var kinds: [String: Kind] = [:]

    static let empty = ValueIndex()

    /// One element row, for the values `DocumentValues` reads.
    static let insertValueRowSQL = "INSERT INTO entity_values(entity, path, ordinal, value) VALUES (?, ?, ?, ?)"

    /// The kind under which task documents' paths are registered (no entity kind starts with `$`): their
    /// rows are keyed by the `tasks` rowid and filled from `tasks`.
    static let taskKind = "$tasks"

    func kind(_ name: String) -> Kind? { kinds[name] }

    /// Registers every declared path and brings the stored rows up to it: slots of a kind whose scalar paths
    /// changed are refilled, new element paths filled, dropped ones deleted. Runs inside the caller's write
    /// transaction. A database created just now (`empty`) has no rows to fill or delete and no paths or slot
    /// indexes to read back: those statements, each compiled for one run, are skipped.
    static func sync(_ declared: [String: [ValuePath]], in database: Database, empty: Bool = false) throws -> ValueIndex {
        for (kind, paths) in declared {
            for path in paths where !path.isValid || (kind == taskKind && path.array == nil) {
                throw StoreError.invalidJSONPath(path.key)
            }
            if Set(paths.filter { $0.array == nil }).count > StoreSchema.Hot.slots {
                throw StoreError.tooManyScalarPaths(kind: kind, limit: StoreSchema.Hot.slots)
            }
        }
        struct Stored {
            var id: Int64
            var slot: Int64?
        }
        var stored: [String: [String: Stored]] = [:]
        if !empty {
            try database.withStatement("SELECT id, kind, path, slot FROM value_paths") { statement in
                while try statement.step() {
                    let slot = statement.isNull(3) ? nil : statement.int64(3)
                    stored[statement.text(1), default: [:]][statement.text(2)] = Stored(
                        id: statement.int64(0), slot: slot)
                }
            }
        }
        var index = ValueIndex()
        var indexedSlots: Set<Int> = []
        for kind in Set(stored.keys).union(declared.keys).sorted() {
            var unique: [String: ValuePath] = [:]
            for path in declared[kind] ?? [] {
                unique[path.key] = unique[path.key].map { $0.indexed ? $0 : path } ?? path
            }
            // Indexed scalars first, so that kinds share the few indexed slots.
            let scalars = unique.values.filter { $0.array == nil }.sorted {
                $0.indexed != $1.indexed ? $0.indexed : $0.key < $1.key
            }
            let elements = unique.values.filter { $0.array != nil }.sorted { $0.key < $1.key }
            var entry = Kind()
            let old = stored[kind] ?? [:]

            let slots = Dictionary(uniqueKeysWithValues: scalars.enumerated().map { ($1.key, Int64($0)) })
            let oldSlots = old.compactMapValues(\.slot)
            if slots != oldSlots {
                if !empty {
                    try database.run(
                        "DELETE FROM entity_hot WHERE entity IN (SELECT rowid FROM entities WHERE kind = ?)",
                        [.text(kind)])
                    try database.run("DELETE FROM value_paths WHERE kind = ? AND slot IS NOT NULL", [.text(kind)])
                }
                for (key, slot) in slots {
                    try database.run(
                        "INSERT INTO value_paths(kind, path, slot) VALUES (?, ?, ?)",
                        [.text(kind), .text(key), .integer(slot)])
                }
            }
            let arrays = Array(Set(elements.compactMap(\.array))).sorted()
            entry.scalarCount = scalars.count
            entry.arrayCount = arrays.count
            var extracts = scalars.map { "json_extract(?1, \(ValuePath.jsonPathLiteral($0.member)))" }
            extracts += arrays.map { arrayText($0, in: "?1") }
            entry.extractSQL = "SELECT " + extracts.joined(separator: ", ")
            entry.keyPaths = scalars.map { keys($0.member) } + arrays.map(keys)
            if !scalars.isEmpty {
                let columns = scalars.indices.map { "h\($0)" }
                entry.insertHotSQL =
                    "INSERT INTO entity_hot(entity, \(columns.joined(separator: ", "))) VALUES (?"
                    + String(repeating: ", ?", count: scalars.count) + ")"
                for (slot, path) in scalars.enumerated() {
                    entry.columns[path.member] = columns[slot]
                    if path.indexed { indexedSlots.insert(slot) }
                }
                if slots != oldSlots && !empty {
                    // Entities stored before these slots meant these paths (an older file, a new declaration).
                    let fill = scalars.map { "json_extract(document, \(ValuePath.jsonPathLiteral($0.member)))" }
                    try database.run(
                        "INSERT INTO entity_hot(entity, \(columns.joined(separator: ", "))) SELECT rowid, "
                            + fill.joined(separator: ", ") + " FROM entities WHERE kind = ?",
                        [.text(kind)])
                }
            }

            let keep = Set(elements.map(\.key))
            for (key, row) in old where row.slot == nil && !keep.contains(key) {
                try database.run("DELETE FROM entity_values WHERE path = ?", [.integer(row.id)])
                try database.run("DELETE FROM value_paths WHERE id = ?", [.integer(row.id)])
            }
            var arms: [String] = []
            for path in elements {
                let id: Int64
                if let known = old[path.key], known.slot == nil {
                    id = known.id
                } else {
                    try database.run(
                        "INSERT INTO value_paths(kind, path) VALUES (?, ?)", [.text(kind), .text(path.key)])
                    id = database.lastInsertRowID
                    // Tasks come from their own table; there `?` matches nothing and is ignored.
                    if !empty {
                        try database.run(
                            "INSERT INTO entity_values(entity, path, ordinal, value) "
                                + select(
                                    path, id: id, entity: "e.rowid",
                                    arrayText: arrayText(path.array ?? "", in: "e.document"),
                                    table: kind == taskKind ? "tasks" : "entities")
                                + (kind == taskKind ? " AND ? IS NOT NULL" : " AND e.kind = ?"),
                            [.text(kind)])
                    }
                }
                entry.ids[path] = id
                let position = arrays.firstIndex(of: path.array ?? "") ?? 0
                entry.elements.append((id, position, path.member.isEmpty ? [] : keys(path.member)))
                let parameter = 2 + position
                arms.append(select(path, id: id, entity: "?1", arrayText: "?\(parameter)"))
            }
            if !arms.isEmpty {
                entry.insertValuesSQL =
                    "INSERT INTO entity_values(entity, path, ordinal, value) " + arms.joined(separator: " UNION ALL ")
                let ids = entry.ids.values.sorted().map(String.init).joined(separator: ", ")
                entry.deleteValuesSQL = "DELETE FROM entity_values WHERE path IN (\(ids)) AND entity = ?"
            }
            if entry.insertHotSQL != nil || entry.insertValuesSQL != nil { index.kinds[kind] = entry }
        }
        try syncSlotIndexes(indexedSlots, in: database, empty: empty)
        return index
    }

    /// One index per slot that some kind's indexed path uses, shared by every kind using that slot; the others
    /// are dropped. DDL takes no bound values: names and columns are built from slot numbers only.
    private static func syncSlotIndexes(_ slots: Set<Int>, in database: Database, empty: Bool) throws {
        var existing: Set<String> = []
        // A new database has none of these indexes yet.
        if !empty {
            try database.withStatement(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entity_hot' AND name LIKE 'entity_hot_by_h%'"
            ) { statement in
                while try statement.step() { existing.insert(statement.text(0)) }
            }
        }
        let wanted = Set(slots.map { "entity_hot_by_h\($0)" })
        var sql = ""
        for name in existing.subtracting(wanted).sorted() {
            sql += "DROP INDEX \(name); DELETE FROM sqlite_stat1 WHERE idx = '\(name)';"
        }
        for slot in slots.sorted() where !existing.contains("entity_hot_by_h\(slot)") {
            let name = "entity_hot_by_h\(slot)"
            // Few entities share a value of an indexed (near-unique) field.
            sql += "CREATE INDEX \(name) ON entity_hot(h\(slot));"
            sql += "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('entity_hot', '\(name)', '100000 3');"
        }
        if !sql.isEmpty { try database.execute(sql + "ANALYZE sqlite_schema;") }
    }

    private static func keys(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }

    /// The array at `array` as JSON text, NULL unless it is an array: only an array has elements (a missing,
    /// null or scalar "collection" has none, as the OData evaluator sees it).
    private static func arrayText(_ array: String, in document: String) -> String {
        let path = ValuePath.jsonPathLiteral(array)
        return "CASE WHEN json_type(\(document), \(path)) = 'array' THEN json_extract(\(document), \(path)) END"
    }

    /// The rows of one element path as a SELECT over its array's text. A member is read only from an object
    /// element, like the SQL compiler's own lambda reads. The text ends inside a WHERE clause (`… WHERE 1`), so
    /// callers can append ` AND …`; with `entity: "e.rowid"` it already names `entities AS e`.
    private static func select(
        _ path: ValuePath, id: Int64, entity: String, arrayText: String, table: String = "entities"
    ) -> String {
        let member =
            path.member.isEmpty
            ? "j.value"
            : "CASE WHEN j.type = 'object' THEN json_extract(j.value, \(ValuePath.jsonPathLiteral(path.member))) END"
        let from = entity == "?1" ? "" : "\(table) AS e, "
        return "SELECT \(entity), \(id), j.key, \(member) FROM \(from)json_each(\(arrayText)) AS j WHERE 1"
    }
}

extension Database {
    /// Writes the `entity_hot` row and `entity_values` rows of one entity (nothing for a kind that declares no
    /// paths).
    func insertValues(entity rowid: Int64, kind: String, document: String, index: ValueIndex) throws {
        guard let entry = index.kind(kind) else { return }
        var text = document
        let read = try text.withUTF8 { bytes -> Bool in
            guard let values = DocumentValues(document: bytes, paths: entry.keyPaths, scalarCount: entry.scalarCount)
            else { return false }
            return try insertValues(entity: rowid, values, entry: entry)
        }
        if read { return }
        let extracted = try withStatement(entry.extractSQL) { statement -> [SQLValue] in
            try statement.bind(document, at: 1)
            guard try statement.step() else { return [] }
            return (0..<Int32(entry.scalarCount + entry.arrayCount)).map { statement.value($0) }
        }
        if let sql = entry.insertHotSQL {
            try withStatement(sql) { statement in
                try statement.bind(rowid, at: 1)
                try statement.bind(Array(extracted.prefix(entry.scalarCount)), startingAt: 2)
                try statement.run()
            }
        }
        if let sql = entry.insertValuesSQL {
            try withStatement(sql) { statement in
                try statement.bind(rowid, at: 1)
                try statement.bind(Array(extracted.dropFirst(entry.scalarCount)), startingAt: 2)
                try statement.run()
            }
        }
    }

    /// The rows of `values`, read in Swift; false (nothing written) when an element's value is one that
    /// `DocumentValues` leaves to SQLite.
    private func insertValues(entity rowid: Int64, _ values: DocumentValues, entry: ValueIndex.Kind) throws -> Bool {
        var rows: [(path: Int64, ordinal: Int64, value: SQLValue)] = []
        for element in entry.elements {
            guard let spans = values.arrays[element.array] else { continue }
            for (ordinal, span) in spans.enumerated() {
                guard let value = values.member(element.member, of: span) else { return false }
                rows.append((element.id, Int64(ordinal), value))
            }
        }
        if let sql = entry.insertHotSQL {
            try withStatement(sql) { statement in
                try statement.bind(rowid, at: 1)
                try statement.bind(values.scalars, startingAt: 2)
                try statement.run()
            }
        }
        if rows.isEmpty { return true }
        try withStatement(ValueIndex.insertValueRowSQL) { statement in
            for row in rows {
                try statement.bind(rowid, at: 1)
                try statement.bind(row.path, at: 2)
                try statement.bind(Int64(row.ordinal), at: 3)
                try statement.bind(row.value, at: 4)
                try statement.run()
                statement.reset()
            }
        }
        return true
    }

    func deleteValues(entity rowid: Int64, kind: String, index: ValueIndex) throws {
        guard let entry = index.kind(kind) else { return }
        if entry.insertHotSQL != nil { try run("DELETE FROM entity_hot WHERE entity = ?", [.integer(rowid)]) }
        if let sql = entry.deleteValuesSQL { try run(sql, [.integer(rowid)]) }
    }
}
