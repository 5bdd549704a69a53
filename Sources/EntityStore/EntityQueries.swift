/// The entity statements, shared by write transactions and read views.
extension Database {
    static let entityColumns =
        "namespace, kind, extId, parentExtId, revision, createdAt, updatedAt, owner, document"

    static func readEntity(_ row: Statement) -> StoredEntity {
        StoredEntity(
            namespace: row.text(0), kind: row.text(1), extId: row.text(2), parentExtId: row.optionalText(3),
            revision: row.int64(4), createdAt: StoreTime.date(row.int64(5)),
            updatedAt: StoreTime.date(row.int64(6)), owner: row.optionalText(7), document: row.text(8))
    }

    func entity(namespace: String, kind: String, extId: String) throws -> StoredEntity? {
        try withStatement(
            "SELECT \(Self.entityColumns) FROM entities WHERE namespace = ? AND kind = ? AND extId = ?"
        ) { statement in
            try statement.bind(namespace, at: 1)
            try statement.bind(kind, at: 2)
            try statement.bind(extId, at: 3)
            return try statement.step() ? Self.readEntity(statement) : nil
        }
    }

    func revision(namespace: String, kind: String, extId: String) throws -> Int64? {
        try scalarInt(
            "SELECT revision FROM entities WHERE namespace = ? AND kind = ? AND extId = ?",
            [.text(namespace), .text(kind), .text(extId)])
    }

    func listEntities(
        namespace: String, kind: String, parentExtId: String?, whereSQL: String?, orderBySQL: String?,
        arguments: [SQLValue], limit: Int, offset: Int
    ) throws -> EntityPage {
        let list = entityList(
            columns: Self.entityColumns, namespace: namespace, kind: kind, parentExtId: parentExtId,
            whereSQL: whereSQL, orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset)
        let (rows, total) = try list.run(on: self, read: Self.readEntity)
        return EntityPage(entities: rows, totalCount: total)
    }

    /// The same page as `listEntities`, handing over each document's stored bytes in place; returns the total.
    func listDocuments(
        namespace: String, kind: String, parentExtId: String?, whereSQL: String?, smallKindWhereSQL: String?,
        orderBySQL: String?, arguments: [SQLValue], limit: Int, offset: Int, expect: (Int) -> Void,
        document: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> Int {
        var filter = whereSQL
        if let smallKindWhereSQL, parentExtId == nil,
            try entityCount(namespace: namespace, kind: kind) <= FragmentList.smallKind
        {
            filter = smallKindWhereSQL
        }
        let list = entityList(
            columns: StoreSchema.Entities.document, namespace: namespace, kind: kind, parentExtId: parentExtId,
            whereSQL: filter, orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset)
        return try list.visit(on: self, expect: expect) { statement in try document(statement.textBytes(0)) }
    }

    private func entityList(
        columns: String, namespace: String, kind: String, parentExtId: String?, whereSQL: String?,
        orderBySQL: String?, arguments: [SQLValue], limit: Int, offset: Int
    ) -> FragmentList {
        var scope = "namespace = ? AND kind = ?"
        var scopeArguments: [SQLValue] = [.text(namespace), .text(kind)]
        if let parentExtId {
            scope += " AND parentExtId = ?"
            scopeArguments.append(.text(parentExtId))
        }
        var list = FragmentList(
            columns: columns, table: StoreSchema.Entities.table, scope: scope,
            scopeArguments: scopeArguments, whereSQL: whereSQL, orderBySQL: orderBySQL, defaultOrder: "extId",
            tieBreak: "extId", arguments: arguments, limit: limit, offset: offset)
        if parentExtId == nil {
            list.unfilteredTotal = { database in try database.entityCount(namespace: namespace, kind: kind) }
        }
        return list
    }

    func insertEntity(_ new: NewEntity, now: Int64, values: ValueIndex) throws -> StoredEntity {
        try insertEntityRow(new, now: now, values: values)
        try adjustCount(namespace: new.namespace, kind: new.kind, by: 1)
        let time = StoreTime.date(now)
        return StoredEntity(
            namespace: new.namespace, kind: new.kind, extId: new.extId, parentExtId: new.parentExtId, revision: 1,
            createdAt: time, updatedAt: time, owner: new.owner, document: new.document)
    }

    /// Bulk load: one statement held for every row (not looked up by its text per row), and the per-kind
    /// counts adjusted once per kind, not once per row.
    func insertEntities(_ entities: some Sequence<NewEntity>, now: Int64, values: ValueIndex) throws {
        // Rows come grouped by kind: a short list, the last entry first, costs less than a dictionary.
        var perKind: [(key: KindKey, count: Int)] = []
        try withStatement(Self.insertEntitySQL) { statement in
            for new in entities {
                try insertEntityRow(new, now: now, values: values, using: statement)
                statement.reset()
                let key = KindKey(namespace: new.namespace, kind: new.kind)
                if let last = perKind.indices.last, perKind[last].key == key {
                    perKind[last].count += 1
                } else if let known = perKind.firstIndex(where: { $0.key == key }) {
                    perKind[known].count += 1
                } else {
                    perKind.append((key, 1))
                }
            }
        }
        for (key, count) in perKind { try adjustCount(namespace: key.namespace, kind: key.kind, by: count) }
    }

    private static let insertEntitySQL =
        "INSERT INTO entities(\(entityColumns)) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT DO NOTHING"

    private func insertEntityRow(_ new: NewEntity, now: Int64, values: ValueIndex) throws {
        try withStatement(Self.insertEntitySQL) { try insertEntityRow(new, now: now, values: values, using: $0) }
    }

    /// Inserts with `statement` (`insertEntitySQL`, freshly reset); the caller resets it afterwards.
    private func insertEntityRow(_ new: NewEntity, now: Int64, values: ValueIndex, using statement: Statement) throws {
        try statement.bind(new.namespace, at: 1)
        try statement.bind(new.kind, at: 2)
        try statement.bind(new.extId, at: 3)
        try statement.bind(new.parentExtId, at: 4)
        try statement.bind(now, at: 5)
        try statement.bind(now, at: 6)
        try statement.bind(new.owner, at: 7)
        try statement.bind(new.document, at: 8)
        try statement.run()
        guard changes == 1 else {
            throw StoreError.alreadyExists(namespace: new.namespace, kind: new.kind, extId: new.extId)
        }
        try insertValues(entity: lastInsertRowID, kind: new.kind, document: new.document, index: values)
    }

    func replaceEntity(
        namespace: String, kind: String, extId: String, document: String, expectedRevision: Int64?, now: Int64,
        values: ValueIndex
    ) throws -> WriteOutcome {
        var sql = "UPDATE entities SET document = ?, revision = revision + 1, updatedAt = ?"
        sql += " WHERE namespace = ? AND kind = ? AND extId = ?"
        if expectedRevision != nil { sql += " AND revision = ?" }
        sql += " RETURNING revision, rowid"
        let updated = try withStatement(sql) { statement -> (revision: Int64, rowid: Int64)? in
            try statement.bind(document, at: 1)
            try statement.bind(now, at: 2)
            try statement.bind(namespace, at: 3)
            try statement.bind(kind, at: 4)
            try statement.bind(extId, at: 5)
            if let expectedRevision { try statement.bind(expectedRevision, at: 6) }
            return try statement.step() ? (statement.int64(0), statement.int64(1)) : nil
        }
        if let updated {
            if values.kind(kind) != nil {
                try deleteValues(entity: updated.rowid, kind: kind, index: values)
                try insertValues(entity: updated.rowid, kind: kind, document: document, index: values)
            }
            return .ok(updated.revision)
        }
        return try revision(namespace: namespace, kind: kind, extId: extId).map { .stale($0) } ?? .notFound
    }

    func deleteEntity(
        namespace: String, kind: String, extId: String, expectedRevision: Int64?, cascade: Bool, values: ValueIndex
    ) throws -> WriteOutcome {
        var sql = "DELETE FROM entities WHERE namespace = ? AND kind = ? AND extId = ?"
        if expectedRevision != nil { sql += " AND revision = ?" }
        sql += " RETURNING revision, rowid"
        let deleted = try withStatement(sql) { statement -> (revision: Int64, rowid: Int64)? in
            try statement.bind(namespace, at: 1)
            try statement.bind(kind, at: 2)
            try statement.bind(extId, at: 3)
            if let expectedRevision { try statement.bind(expectedRevision, at: 4) }
            return try statement.step() ? (statement.int64(0), statement.int64(1)) : nil
        }
        guard let deleted else {
            return try revision(namespace: namespace, kind: kind, extId: extId).map { .stale($0) } ?? .notFound
        }
        // Rowids are reused after a delete; a later entity must not inherit these rows.
        try deleteValues(entity: deleted.rowid, kind: kind, index: values)
        try adjustCount(namespace: namespace, kind: kind, by: -1)
        if cascade { try deleteDescendants(of: extId, values: values) }
        return .ok(deleted.revision)
    }

    /// Deletes children, grandchildren, …; UNION (not UNION ALL) stops on a parent cycle.
    @discardableResult
    func deleteDescendants(of parentExtId: String, values: ValueIndex) throws -> Int {
        let deleted = try withStatement(
            """
            WITH RECURSIVE doomed(id) AS (
                SELECT ? UNION SELECT e.extId FROM entities e JOIN doomed d ON e.parentExtId = d.id
            )
            DELETE FROM entities WHERE parentExtId IN (SELECT id FROM doomed) RETURNING namespace, kind, rowid
            """
        ) { statement in
            try statement.bind(parentExtId, at: 1)
            var perKind: [KindKey: Int] = [:]
            var rowids: [(kind: String, rowid: Int64)] = []
            while try statement.step() {
                perKind[KindKey(namespace: statement.text(0), kind: statement.text(1)), default: 0] += 1
                rowids.append((statement.text(1), statement.int64(2)))
            }
            return (perKind, rowids)
        }
        for row in deleted.1 { try deleteValues(entity: row.rowid, kind: row.kind, index: values) }
        let deletedKinds = deleted.0
        for (key, count) in deletedKinds { try adjustCount(namespace: key.namespace, kind: key.kind, by: -count) }
        return deletedKinds.values.reduce(0, +)
    }

    private struct KindKey: Hashable {
        var namespace: String
        var kind: String
    }

    /// Rows of one kind, from `entity_counts` (O(1), no scan).
    func entityCount(namespace: String, kind: String) throws -> Int {
        Int(
            try scalarInt(
                "SELECT count FROM entity_counts WHERE namespace = ? AND kind = ?", [.text(namespace), .text(kind)])
                ?? 0)
    }

    private func adjustCount(namespace: String, kind: String, by delta: Int) throws {
        try run(
            """
            INSERT INTO entity_counts(namespace, kind, count) VALUES (?, ?, ?)
            ON CONFLICT(namespace, kind) DO UPDATE SET count = count + excluded.count
            """,
            [.text(namespace), .text(kind), .integer(Int64(delta))])
    }
}
