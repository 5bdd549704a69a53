import Foundation
import Testing

@testable import EntityStore

/// Whole-state operations: snapshots, reset, expression indexes.
struct EntityStoreMaintenanceTests {
    private func everything(_ store: EntityStore) throws -> [StoredEntity] {
        try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 1_000).entities
    }

    @Test func restoreBringsBackTheSavedStateExactly() throws {
        let store = try Fixture.store()
        try store.write { transaction in
            try transaction.insert(contentsOf: [Fixture.vm("a"), Fixture.vm("b")])
            try transaction.upsertTask(extId: "t", status: "QUEUED", dueAt: nil, document: "{}")
        }
        let saved = try everything(store)
        try store.saveSnapshot(named: "base")
        try store.write { transaction in
            try transaction.insert(Fixture.vm("c"))
            _ = try transaction.replace(
                namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: "{}", expectedRevision: 1)
            _ = try transaction.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "b", expectedRevision: 1)
            try transaction.upsertTask(extId: "t", status: "SUCCEEDED", dueAt: nil, document: "{}")
        }
        #expect(try everything(store) != saved)
        try store.restoreSnapshot(named: "base")
        #expect(try everything(store) == saved)
        #expect(try store.read { try $0.task(extId: "t") }?.status == "QUEUED")
        // A snapshot survives being restored, and can be restored again.
        try store.write { try $0.insert(Fixture.vm("d")) }
        try store.restoreSnapshot(named: "base")
        #expect(try everything(store) == saved)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func snapshotsAreNamedAndDeletable() throws {
        let store = try Fixture.store()
        try store.saveSnapshot(named: "b")
        try store.saveSnapshot(named: "a")
        #expect(store.snapshotNames == ["a", "b"])
        #expect(store.deleteSnapshot(named: "a"))
        #expect(!store.deleteSnapshot(named: "a"))
        #expect(throws: StoreError.snapshotNotFound("a")) { try store.restoreSnapshot(named: "a") }
    }

    @Test func restoreIntoAFileStorePersistsAndKeepsWAL() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        do {
            let store = try Fixture.store(location: .file(path))
            try store.write { try $0.insert(Fixture.vm("saved")) }
            try store.saveSnapshot(named: "s")
            try store.write { try $0.insert(Fixture.vm("dropped")) }
            try store.restoreSnapshot(named: "s")
        }
        let reopened = try Fixture.store(location: .file(path))
        #expect(try everything(reopened).map(\.extId) == ["saved"])
        let mode = try reopened.read { try $0.database.scalarText("PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try reopened.integrityCheck() == ["ok"])
    }

    @Test func resetEmptiesEveryTableAndSeedsInOneTransaction() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        try store.write { transaction in
            try transaction.insert(Fixture.vm("old"))
            try transaction.upsertTask(extId: "t", status: "QUEUED", dueAt: nil, document: "{}")
            try transaction.putIdempotencyRecord(
                IdempotencyRecord(
                    requestId: "r", fingerprint: "f", status: 200, headers: "{}", body: [], expiresAt: clock.now + 60))
            try transaction.appendJournal(method: "GET", path: "/", status: 200, requestId: nil, durationMicros: 1)
        }
        try store.reset { try $0.insert(contentsOf: [Fixture.vm("f1"), Fixture.vm("f2")]) }
        #expect(try everything(store).map(\.extId) == ["f1", "f2"])
        try store.read { view throws in
            #expect(try view.task(extId: "t") == nil)
            #expect(try view.idempotencyRecord(requestId: "r") == nil)
            #expect(try view.recentJournal().isEmpty)
        }
    }

    @Test func failedSeedKeepsTheOldState() throws {
        let store = try Fixture.store()
        try store.write { try $0.insert(Fixture.vm("old")) }
        #expect(throws: StoreError.self) {
            try store.reset { try $0.insert(contentsOf: [Fixture.vm("dup"), Fixture.vm("dup")]) }
        }
        #expect(try everything(store).map(\.extId) == ["old"])
    }

    @Test(arguments: ["", "$", "name", "$.na'me", "$..a", "$.a[", "$.a[x]", "$.1a", "$.a b", "$.a)--"])
    func createIndexRejectsPathsOutsideTheSimpleGrammar(path: String) throws {
        let store = try Fixture.store()
        #expect(throws: StoreError.invalidJSONPath(path)) { try store.createIndex(jsonPath: path) }
    }

    @Test func createIndexServesTheMatchingFragment() throws {
        let store = try Fixture.store()
        try store.write { try $0.insert(contentsOf: (0..<20).map { Fixture.vm("vm-\($0)", name: "n\($0 % 5)") }) }
        try store.createIndex(jsonPath: "$.name")
        try store.createIndex(jsonPath: "$.name")  // idempotent
        try store.createIndex(jsonPath: "$.a.b[0].c_d")
        let plan = try QueryPlan.of(
            store,
            """
            SELECT extId FROM entities WHERE namespace = ? AND kind = ? AND (json_extract(document, '$.name') = ?)
            ORDER BY extId LIMIT ?
            """)
        #expect(plan.contains("entities_by_json_"))
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "json_extract(document, '$.name') = ?",
            arguments: ["n3"], limit: 2)
        #expect(page.entities.map(\.extId) == ["vm-13", "vm-18"])
        #expect(page.totalCount == 4)
    }
}

/// `EXPLAIN QUERY PLAN` on a fresh reader, so the plan reflects the current schema and statistics.
enum QueryPlan {
    static func of(_ store: EntityStore, _ sql: String) throws -> String {
        let reader = try Database(path: store.path, readOnly: true, busyTimeoutMilliseconds: 1_000)
        return try reader.withStatement("EXPLAIN QUERY PLAN " + sql) { statement in
            var details: [String] = []
            while try statement.step() { details.append(statement.text(3)) }
            return details.joined(separator: "\n")
        }
    }
}

struct QueryPlanTests {
    @Test func listsByKindWalkTheByIdIndexWithoutSorting() throws {
        let plan = try QueryPlan.of(
            try Fixture.store(), "SELECT document FROM entities WHERE namespace = ? AND kind = ? ORDER BY extId LIMIT ?"
        )
        #expect(plan.contains("USING INDEX entities_by_id"))
        #expect(!plan.contains("TEMP B-TREE"))
    }

    @Test func listsByParentUseTheParentIndex() throws {
        let plan = try QueryPlan.of(
            try Fixture.store(),
            "SELECT document FROM entities WHERE namespace = ? AND kind = ? AND parentExtId = ? ORDER BY extId LIMIT ?")
        #expect(plan.contains("USING INDEX entities_by_parent"))
    }

    @Test func getByIdIsOneIndexLookup() throws {
        let plan = try QueryPlan.of(
            try Fixture.store(), "SELECT document FROM entities WHERE namespace = ? AND kind = ? AND extId = ?")
        #expect(plan.contains("USING INDEX entities_by_id (namespace=? AND kind=? AND extId=?)"))
    }

    @Test func aLowSelectivityIndexLeavesDefaultOrderedPagesOnTheByIdIndex() throws {
        let store = try Fixture.store()
        try store.createIndex(jsonPath: "$.powerState", rowsPerValue: 50_000)
        let filter = "WHERE namespace = ? AND kind = ? AND (json_extract(document, '$.powerState') = ?)"
        let page = "SELECT document FROM entities \(filter) ORDER BY extId LIMIT ?"
        #expect(try QueryPlan.of(store, page).contains("USING INDEX entities_by_id"))
        // Counting all matches still takes the expression index.
        #expect(try QueryPlan.of(store, "SELECT count(*) FROM entities \(filter)").contains("entities_by_json_"))
    }

    @Test func dueTasksUseThePartialDueIndex() throws {
        let plan = try QueryPlan.of(
            try Fixture.store(),
            "SELECT extId FROM tasks WHERE dueAt IS NOT NULL AND dueAt <= ? ORDER BY dueAt, extId LIMIT ?")
        #expect(plan.contains("tasks_by_due"))
    }
}
