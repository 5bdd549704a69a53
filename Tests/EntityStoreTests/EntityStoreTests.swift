import Foundation
import Testing

@testable import EntityStore

struct EntityStoreTests {
    @Test func insertedEntityReadsBackWithRevisionOneAndClockTimes() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        var new = Fixture.vm("a", name: "alpha")
        new.owner = "admin"
        let inserted = try store.write { try $0.insert(new) }
        let read = try #require(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a"))
        #expect(read == inserted)
        #expect(read.revision == 1)
        #expect(read.owner == "admin")
        #expect(read.document == new.document)
        #expect(abs(read.createdAt.timeIntervalSince(clock.now)) < 1e-5)
        #expect(read.updatedAt == read.createdAt)
    }

    @Test func getIsScopedByNamespaceAndKind() throws {
        let store = try Fixture.store()
        try store.write { try $0.insert(Fixture.vm("a")) }
        #expect(try store.get(namespace: "other", kind: Fixture.vm, extId: "a") == nil)
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.disk, extId: "a") == nil)
    }

    @Test func duplicateInsertThrowsAndLeavesTheTransactionUsable() throws {
        let store = try Fixture.store()
        try store.write { try $0.insert(Fixture.vm("a", name: "first")) }
        try store.write { transaction in
            #expect(throws: StoreError.alreadyExists(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a")) {
                try transaction.insert(Fixture.vm("a", name: "second"))
            }
            try transaction.insert(Fixture.vm("b"))
        }
        let a = try #require(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a"))
        #expect(a.document.contains("first"))
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "b") != nil)
        #expect(try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 0).totalCount == 2)
    }

    @Test func replaceIsCompareAndSet() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        let created = try store.write { try $0.insert(Fixture.vm("a", name: "v1")) }
        clock.advance(by: 10)
        let outcomes = try store.write { transaction in
            [
                try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: "{\"v\":2}",
                    expectedRevision: 1),
                try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: "{\"v\":\"lost\"}",
                    expectedRevision: 1),
                try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "missing", document: "{}",
                    expectedRevision: 1),
                try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: "{\"v\":3}",
                    expectedRevision: nil),
            ]
        }
        #expect(outcomes == [.ok(2), .stale(2), .notFound, .ok(3)])
        let read = try #require(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a"))
        #expect(read.document == "{\"v\":3}")
        #expect(read.revision == 3)
        #expect(read.createdAt == created.createdAt)
        #expect(abs(read.updatedAt.timeIntervalSince(created.createdAt) - 10) < 1e-5)
    }

    @Test func deleteIsCompareAndSet() throws {
        let store = try Fixture.store()
        try store.write { try $0.insert(Fixture.vm("a")) }
        let stale = try store.write {
            try $0.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", expectedRevision: 7)
        }
        #expect(stale == .stale(1))
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a") != nil)
        let deleted = try store.write {
            try $0.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", expectedRevision: 1)
        }
        #expect(deleted == .ok(1))
        let again = try store.write {
            try $0.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", expectedRevision: nil)
        }
        #expect(again == .notFound)
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a") == nil)
        #expect(try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 0).totalCount == 0)
    }

    @Test func cascadingDeleteRemovesDescendantsOnly() throws {
        let store = try Fixture.store()
        try store.write { transaction in
            try transaction.insert(contentsOf: [
                Fixture.vm("vm1"), Fixture.vm("vm2"), Fixture.disk("d1", parent: "vm1"),
                Fixture.disk("d2", parent: "vm1"),
                Fixture.disk("d3", parent: "vm2"), Fixture.disk("d1-snap", parent: "d1", kind: "vmm.v4.Snapshot"),
            ])
        }
        let outcome = try store.write {
            try $0.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "vm1", expectedRevision: nil)
        }
        #expect(outcome == .ok(1))
        for (kind, extId) in [(Fixture.disk, "d1"), (Fixture.disk, "d2"), ("vmm.v4.Snapshot", "d1-snap")] {
            #expect(try store.get(namespace: Fixture.namespace, kind: kind, extId: extId) == nil)
        }
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.disk, extId: "d3") != nil)
        #expect(try store.list(namespace: Fixture.namespace, kind: Fixture.disk, limit: 0).totalCount == 1)
        #expect(try Fixture.scannedCount(store, kind: Fixture.disk) == 1)
        #expect(try store.list(namespace: Fixture.namespace, kind: "vmm.v4.Snapshot", limit: 0).totalCount == 0)
    }

    @Test func deleteWithoutCascadeKeepsChildrenAndDeleteChildrenCounts() throws {
        let store = try Fixture.store()
        try store.write {
            try $0.insert(contentsOf: [
                Fixture.vm("vm1"), Fixture.disk("d1", parent: "vm1"), Fixture.disk("d2", parent: "vm1"),
            ])
        }
        _ = try store.write {
            try $0.delete(
                namespace: Fixture.namespace, kind: Fixture.vm, extId: "vm1", expectedRevision: nil, cascade: false)
        }
        #expect(try store.list(namespace: Fixture.namespace, kind: Fixture.disk, limit: 0).totalCount == 2)
        let removed = try store.write { try $0.deleteChildren(of: "vm1") }
        #expect(removed == 2)
        #expect(try Fixture.scannedCount(store, kind: Fixture.disk) == 0)
    }

    @Test func throwingWriteRollsEverythingBack() throws {
        struct Boom: Error {}
        let store = try Fixture.store()
        try store.write { try $0.insert(Fixture.vm("keep")) }
        #expect(throws: Boom.self) {
            try store.write { transaction in
                try transaction.insert(Fixture.vm("gone"))
                _ = try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "keep", document: "{}", expectedRevision: 1)
                try transaction.upsertTask(extId: "t", status: "QUEUED", dueAt: nil, document: "{}")
                throw Boom()
            }
        }
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "gone") == nil)
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "keep")?.revision == 1)
        #expect(try store.read { try $0.task(extId: "t") } == nil)
        #expect(try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 0).totalCount == 1)
    }

    @Test func writeInsideWriteThrowsInsteadOfDeadlocking() throws {
        let store = try Fixture.store()
        #expect(throws: StoreError.nestedWrite) {
            try store.write { _ in try store.write { _ in } }
        }
        try store.write { try $0.insert(Fixture.vm("after")) }  // the writer is still usable
        #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "after") != nil)
    }

    @Test func memoryStoresAreIndependentAndCleanUpTheirFiles() throws {
        var first: EntityStore? = try Fixture.store()
        let second = try Fixture.store()
        try first?.write { try $0.insert(Fixture.vm("only-in-first")) }
        #expect(try second.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "only-in-first") == nil)
        let path = try #require(first?.path)
        #expect(path != second.path)
        #expect(FileManager.default.fileExists(atPath: path))
        first = nil
        for suffix in ["", "-wal", "-shm"] { #expect(!FileManager.default.fileExists(atPath: path + suffix)) }
    }

    @Test func readsInsideAWriteSeeItsOwnUncommittedRows() throws {
        let store = try Fixture.store()
        try store.write { transaction in
            try transaction.insert(Fixture.vm("a"))
            #expect(try transaction.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a") != nil)
            #expect(try transaction.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 10).totalCount == 1)
            // Readers outside the transaction do not see it yet.
            #expect(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a") == nil)
        }
    }
}
