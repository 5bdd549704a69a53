import Foundation
import Testing

@testable import EntityStore

/// `entity_values`: the rows of declared paths follow every write, survive a restart, and follow a change of
/// declarations or an older file.
struct ValuePathTests {
    static let declared: [String: [ValuePath]] = [
        Fixture.vm: [.scalar("name", indexed: true), .element(of: "disks", "sizeBytes")],
        Fixture.disk: [.scalar("extId")],
    ]

    struct Row: Hashable, CustomStringConvertible {
        var extId: String
        var path: String
        var ordinal: Int64
        var value: String?
        var description: String { "\(extId) \(path)[\(ordinal)]=\(value ?? "NULL")" }
    }

    static func row(_ extId: String, _ path: String, _ ordinal: Int64, _ value: String?) -> Row {
        Row(extId: extId, path: path, ordinal: ordinal, value: value)
    }

    static func row(_ extId: String, _ path: String, _ value: String?) -> Row { row(extId, path, 0, value) }

    /// Every row, by the entity's extId and the path's key; a row whose entity is gone shows as "<orphan>"
    /// ("hot" for a hot row).
    static func rows(_ store: EntityStore) throws -> Set<Row> {
        let slots = (0..<StoreSchema.Hot.slots).map { "WHEN \($0) THEN h\($0)" }.joined(separator: " ")
        let queries = [
            """
            SELECT coalesce(e.extId, '<orphan>'), p.path, v.ordinal, CAST(v.value AS TEXT)
            FROM entity_values v JOIN value_paths p ON p.id = v.path LEFT JOIN entities e ON e.rowid = v.entity
            """,
            """
            SELECT e.extId, p.path, 0, CAST(CASE p.slot \(slots) END AS TEXT)
            FROM entity_hot h JOIN entities e ON e.rowid = h.entity JOIN value_paths p ON p.kind = e.kind
            WHERE p.slot IS NOT NULL
            """,
            "SELECT '<orphan>', 'hot', 0, NULL FROM entity_hot WHERE entity NOT IN (SELECT rowid FROM entities)",
        ]
        return try store.read { view in
            var rows: Set<Row> = []
            for sql in queries {
                try view.database.withStatement(sql) { statement in
                    while try statement.step() {
                        rows.insert(
                            Row(
                                extId: statement.text(0), path: statement.text(1), ordinal: statement.int64(2),
                                value: statement.optionalText(3)))
                    }
                }
            }
            return rows
        }
    }

    static func store(location: StoreConfiguration.Location = .memory, declared: [String: [ValuePath]] = declared)
        throws -> EntityStore
    {
        try EntityStore(StoreConfiguration(location: location, readerCount: 1, valuePaths: declared))
    }

    @Test func rowsFollowInsertReplaceDeleteAndCascade() throws {
        let store = try Self.store()
        try store.write { transaction in
            try transaction.insert(Fixture.vm("a", name: "alpha", disks: [1, 2]))
            try transaction.insert(Fixture.vm("b", name: "beta"))
            try transaction.insert(Fixture.disk("d", parent: "a"))
        }
        #expect(
            try Self.rows(store) == [
                Self.row("a", "name", "alpha"), Self.row("a", "disks[*]/sizeBytes", 0, "1"),
                Self.row("a", "disks[*]/sizeBytes", 1, "2"), Self.row("b", "name", "beta"), Self.row("d", "extId", "d"),
            ])
        try store.write { transaction in
            // Name gone (one NULL row), disks not an array (no rows).
            _ = try transaction.replace(
                namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: #"{"disks":{"sizeBytes":5}}"#,
                expectedRevision: 1)
            _ = try transaction.replace(
                namespace: Fixture.namespace, kind: Fixture.vm, extId: "b", document: #"{"name":"b2","disks":[{}]}"#,
                expectedRevision: 7)  // stale: nothing changes
        }
        #expect(
            try Self.rows(store) == [
                Self.row("a", "name", nil), Self.row("b", "name", "beta"), Self.row("d", "extId", "d"),
            ])
        let deleted = try store.write { transaction in
            try transaction.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", expectedRevision: nil)
        }
        #expect(deleted == .ok(2))
        #expect(try Self.rows(store) == [Self.row("b", "name", "beta")])  // the cascaded disk's rows went too
        // A failing transaction leaves no rows behind.
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write { transaction in
                try transaction.insert(Fixture.vm("c", name: "gamma", disks: [3]))
                throw Boom()
            }
        }
        #expect(try Self.rows(store) == [Self.row("b", "name", "beta")])
    }

    @Test func resetAndRestoreKeepRowsInStepWithEntities() throws {
        let store = try Self.store()
        try store.write { try $0.insert(contentsOf: [Fixture.vm("a", name: "alpha"), Fixture.vm("b", name: "beta")]) }
        try store.saveSnapshot(named: "two")
        try store.reset { try $0.insert(Fixture.vm("c", name: "gamma", disks: [4])) }
        let afterReset = try Self.rows(store)
        #expect(
            afterReset == [Self.row("c", "name", "gamma"), Self.row("c", "disks[*]/sizeBytes", 0, "4")], "\(afterReset)"
        )
        try store.restoreSnapshot(named: "two")
        #expect(try Self.rows(store) == [Self.row("a", "name", "alpha"), Self.row("b", "name", "beta")])
    }

    @Test func changedDeclarationsAreFilledOrDroppedAtOpen() throws {
        let directory = try TemporaryDirectory()
        let location = StoreConfiguration.Location.file(directory.path("pc.sqlite"))
        do {
            let store = try Self.store(location: location, declared: [:])
            try store.write { try $0.insert(contentsOf: [Fixture.vm("a", name: "alpha", disks: [9])]) }
            #expect(try Self.rows(store).isEmpty)
        }
        do {
            let store = try Self.store(location: location)
            #expect(
                try Self.rows(store) == [Self.row("a", "name", "alpha"), Self.row("a", "disks[*]/sizeBytes", 0, "9")])
            #expect(store.hotColumns(kind: Fixture.vm) == ["name": "h0"])
            let plan = try QueryPlan.of(store, "SELECT entity FROM entity_hot WHERE h0 IS ?")
            #expect(plan.contains("entity_hot_by_h0"))
        }
        let store = try Self.store(location: location, declared: [Fixture.vm: [.scalar("name")]])
        #expect(try Self.rows(store) == [Self.row("a", "name", "alpha")])
        #expect(store.hotColumns(kind: Fixture.vm) == ["name": "h0"])
        #expect(store.valuePathIDs(kind: Fixture.vm).isEmpty)
        // No path is indexed any more: the slot's index went with the declaration.
        try store.read { view throws in
            #expect(
                try view.database.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'entity_hot_by_%'") == 0
            )
        }
    }

    /// A file written before `entity_values` existed (schema version 2) is migrated and its entities filled.
    @Test func aVersionTwoFileIsMigratedAndFilled() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        do {
            let raw = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: 0)
            for step in 0..<2 { try raw.execute(StoreSchema.migrations[step]) }
            try raw.execute(
                """
                PRAGMA user_version = 2;
                INSERT INTO entities(namespace, kind, extId, revision, createdAt, updatedAt, document)
                VALUES ('vmm', '\(Fixture.vm)', 'old', 1, 0, 0, '{"name":"from before","disks":[{"sizeBytes":3}]}');
                """)
        }
        let store = try Self.store(location: .file(path))
        #expect(
            try Self.rows(store) == [
                Self.row("old", "name", "from before"), Self.row("old", "disks[*]/sizeBytes", 0, "3"),
            ])
        try store.read { view throws in
            #expect(try view.database.scalarInt("PRAGMA user_version") == Int64(StoreSchema.version))
        }
    }

    @Test(arguments: [ValuePath.scalar("a'b"), .scalar(""), .scalar("a//b"), .scalar("1a"), .element(of: "x y", "z")])
    func pathsThatAreNotIdentifiersAreRefused(path: ValuePath) throws {
        #expect(throws: StoreError.invalidJSONPath(path.key)) {
            try Self.store(declared: ["k": [path]])
        }
    }

    @Test func moreScalarsThanSlotsAreRefused() throws {
        let paths = (0...StoreSchema.Hot.slots).map { ValuePath.scalar("f\($0)") }
        #expect(throws: StoreError.tooManyScalarPaths(kind: "k", limit: StoreSchema.Hot.slots)) {
            try Self.store(declared: ["k": paths])
        }
    }

    /// Task documents' element paths: rows keyed by the `tasks` rowid, rewritten by every upsert, filled at
    /// open for tasks stored before the declaration, cleared by reset.
    @Test func taskElementRowsFollowUpsertsAndDeclarations() throws {
        let directory = try TemporaryDirectory()
        let location = StoreConfiguration.Location.file(directory.path("tasks.sqlite"))
        func affected(_ ids: [String]) -> String {
            #"{"entitiesAffected":["#
                + ids.map { #"{"extId":"\#($0)","rel":"vmm:ahv:config:vm"}"# }.joined(separator: ",")
                + "]}"
        }
        func taskRows(_ store: EntityStore) throws -> Set<String> {
            try store.read { view in
                try view.database.withStatement(
                    "SELECT t.extId || ':' || v.ordinal || ':' || v.value FROM entity_values v JOIN tasks t ON t.rowid = v.entity"
                ) { statement in
                    var rows: Set<String> = []
                    while try statement.step() { rows.insert(statement.text(0)) }
                    return rows
                }
            }
        }
        do {
            let store = try EntityStore(StoreConfiguration(location: location, readerCount: 1))
            try store.write { try $0.upsertTask(extId: "t1", status: "QUEUED", dueAt: nil, document: affected(["a"])) }
        }
        let store = try EntityStore(
            StoreConfiguration(
                location: location, readerCount: 1, taskValuePaths: [.element(of: "entitiesAffected", "extId")]))
        #expect(try taskRows(store) == ["t1:0:a"])
        try store.write { transaction in
            try transaction.upsertTask(extId: "t1", status: "RUNNING", dueAt: nil, document: affected(["b", "c"]))
            try transaction.upsertTask(extId: "t2", status: "QUEUED", dueAt: nil, document: affected([]))
            try transaction.upsertTask(extId: "t3", status: "QUEUED", dueAt: nil, document: #"{"entitiesAffected":{}}"#)
        }
        #expect(try taskRows(store) == ["t1:0:b", "t1:1:c"])
        try store.reset { _ in }
        #expect(try taskRows(store).isEmpty)
        #expect(throws: StoreError.invalidJSONPath("status")) {
            try EntityStore(StoreConfiguration(taskValuePaths: [.scalar("status")]))
        }
    }
}
