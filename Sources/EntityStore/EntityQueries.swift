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
        var scope = "namespace = ? AND kind = ?"
        var scopeArguments: [SQLValue] = [.text(namespace), .text(kind)]
        if let parentExtId {
            scope += " AND parentExtId = ?"
            scopeArguments.append(.text(parentExtId))
        }
        let list = FragmentList(
            columns: Self.entityColumns, table: StoreSchema.Entities.table, scope: scope,
            scopeArguments: scopeArguments, whereSQL: whereSQL, orderBySQL: orderBySQL, defaultOrder: "extId",
            tieBreak: "extId", arguments: arguments, limit: limit, offset: offset)
        let (rows, total) = try list.run(on: self, read: Self.readEntity)
        return EntityPage(entities: rows, totalCount: total)
    }

    func insertEntity(_ new: NewEntity, now: Int64) throws -> StoredEntity {
        let changed = try withStatement(
            "INSERT INTO entities(\(Self.entityColumns)) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
        ) { statement in
            try statement.bind(new.namespace, at: 1)
            try statement.bind(new.kind, at: 2)
            try statement.bind(new.extId, at: 3)
            try statement.bind(new.parentExtId, at: 4)
            try statement.bind(now, at: 5)
            try statement.bind(now, at: 6)
            try statement.bind(new.owner, at: 7)
            try statement.bind(new.document, at: 8)
            try statement.run()
            return changes
        }
        guard changed == 1 else {
            throw StoreError.alreadyExists(namespace: new.namespace, kind: new.kind, extId: new.extId)
        }
        let time = StoreTime.date(now)
        return StoredEntity(
            namespace: new.namespace, kind: new.kind, extId: new.extId, parentExtId: new.parentExtId, revision: 1,
            createdAt: time, updatedAt: time, owner: new.owner, document: new.document)
    }

    func replaceEntity(
        namespace: String, kind: String, extId: String, document: String, expectedRevision: Int64?, now: Int64
    ) throws -> WriteOutcome {
        var sql = "UPDATE entities SET document = ?, revision = revision + 1, updatedAt = ?"
        sql += " WHERE namespace = ? AND kind = ? AND extId = ?"
        if expectedRevision != nil { sql += " AND revision = ?" }
        sql += " RETURNING revision"
        let updated = try withStatement(sql) { statement -> Int64? in
            try statement.bind(document, at: 1)
            try statement.bind(now, at: 2)
            try statement.bind(namespace, at: 3)
            try statement.bind(kind, at: 4)
            try statement.bind(extId, at: 5)
            if let expectedRevision { try statement.bind(expectedRevision, at: 6) }
            return try statement.step() ? statement.int64(0) : nil
        }
        if let updated { return .ok(updated) }
        return try revision(namespace: namespace, kind: kind, extId: extId).map { .stale($0) } ?? .notFound
    }

    func deleteEntity(
        namespace: String, kind: String, extId: String, expectedRevision: Int64?, cascade: Bool
    ) throws -> WriteOutcome {
        var sql = "DELETE FROM entities WHERE namespace = ? AND kind = ? AND extId = ?"
        if expectedRevision != nil { sql += " AND revision = ?" }
        sql += " RETURNING revision"
        let deleted = try withStatement(sql) { statement -> Int64? in
            try statement.bind(namespace, at: 1)
            try statement.bind(kind, at: 2)
            try statement.bind(extId, at: 3)
            if let expectedRevision { try statement.bind(expectedRevision, at: 4) }
            return try statement.step() ? statement.int64(0) : nil
        }
        guard let deleted else {
            return try revision(namespace: namespace, kind: kind, extId: extId).map { .stale($0) } ?? .notFound
        }
        if cascade { try deleteDescendants(of: extId) }
        return .ok(deleted)
    }

    /// Deletes children, grandchildren, …; UNION (not UNION ALL) stops on a parent cycle.
    @discardableResult
    func deleteDescendants(of parentExtId: String) throws -> Int {
        try run(
            """
            WITH RECURSIVE doomed(id) AS (
                SELECT ? UNION SELECT e.extId FROM entities e JOIN doomed d ON e.parentExtId = d.id
            )
            DELETE FROM entities WHERE parentExtId IN (SELECT id FROM doomed)
            """,
            [.text(parentExtId)])
    }
}
