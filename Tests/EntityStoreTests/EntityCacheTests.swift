import Dispatch
import FoundationEssentials
import Testing
@testable import EntityStore

/// `get` answers from a cache: every way an entity can change must be visible to the next get.
struct EntityCacheTests {
    func store() throws -> EntityStore { try EntityStore(StoreConfiguration(location: .memory)) }

    func seed(_ s: EntityStore, _ id: String, parent: String? = nil, doc: String = #"{"v":1}"#) throws {
        try s.write { tx in
            _ = try tx.insert(NewEntity(namespace: "ns", kind: "k", extId: id, parentExtId: parent, document: doc))
        }
    }

    @Test func replaceIsSeenByTheNextGet() throws {
        let s = try store()
        try seed(s, "a")
        #expect(try s.get(namespace: "ns", kind: "k", extId: "a")?.document == #"{"v":1}"#)
        _ = try s.write { tx in
            try tx.replace(namespace: "ns", kind: "k", extId: "a", document: #"{"v":2}"#, expectedRevision: 1)
        }
        let after = try s.get(namespace: "ns", kind: "k", extId: "a")
        #expect(after?.document == #"{"v":2}"#)
        #expect(after?.revision == 2)
    }

    @Test func cascadeDeleteOfAParentForgetsCachedChildren() throws {
        let s = try store()
        try seed(s, "parent")
        try seed(s, "child", parent: "parent")
        #expect(try s.get(namespace: "ns", kind: "k", extId: "child") != nil)
        _ = try s.write { tx in
            try tx.delete(namespace: "ns", kind: "k", extId: "parent", expectedRevision: nil, cascade: true)
        }
        #expect(try s.get(namespace: "ns", kind: "k", extId: "child") == nil)
    }

    @Test func resetAndRestoreForgetEverything() throws {
        let s = try store()
        try seed(s, "a")
        try s.saveSnapshot(named: "one")
        _ = try s.get(namespace: "ns", kind: "k", extId: "a")
        try s.reset { _ in }
        #expect(try s.get(namespace: "ns", kind: "k", extId: "a") == nil)
        try seed(s, "b")
        _ = try s.get(namespace: "ns", kind: "k", extId: "b")
        try s.restoreSnapshot(named: "one")
        #expect(try s.get(namespace: "ns", kind: "k", extId: "b") == nil)
        #expect(try s.get(namespace: "ns", kind: "k", extId: "a") != nil)
    }

    @Test func aRolledBackWriteLeavesTheCachedValue() throws {
        struct Boom: Error {}
        let s = try store()
        try seed(s, "a")
        _ = try s.get(namespace: "ns", kind: "k", extId: "a")
        #expect(throws: Boom.self) {
            try s.write { tx in
                _ = try tx.replace(namespace: "ns", kind: "k", extId: "a", document: #"{"v":9}"#, expectedRevision: nil)
                throw Boom()
            }
        }
        #expect(try s.get(namespace: "ns", kind: "k", extId: "a")?.document == #"{"v":1}"#)
    }

    @Test func readersRacingAWriterNeverKeepAStaleRevision() throws {
        let s = try store()
        try seed(s, "a")
        let rounds = 200
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker == 0 {
                for i in 1...rounds {
                    _ = try? s.write { tx in
                        try tx.replace(
                            namespace: "ns", kind: "k", extId: "a", document: #"{"v":\#(i + 1)}"#,
                            expectedRevision: nil)
                    }
                }
            } else {
                for _ in 0..<(rounds * 5) { _ = try? s.get(namespace: "ns", kind: "k", extId: "a") }
            }
        }
        // After the writer finished, the cache must agree with the database.
        let cached = try s.get(namespace: "ns", kind: "k", extId: "a")
        let stored = try s.read { try $0.get(namespace: "ns", kind: "k", extId: "a") }
        #expect(cached?.revision == Int64(rounds + 1))
        #expect(cached == stored)
    }
}
