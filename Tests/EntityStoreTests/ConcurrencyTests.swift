import Dispatch
import Foundation
import Synchronization
import Testing

@testable import EntityStore

/// Many threads against one store: compare-and-set, snapshot isolation, the reader pool.
struct EntityStoreConcurrencyTests {
    private static let counter = "counter"

    private func counterStore(readers: Int = 4) throws -> EntityStore {
        let store = try EntityStore(StoreConfiguration(readerCount: readers))
        try store.write {
            try $0.insert(NewEntity(namespace: Fixture.namespace, kind: Fixture.vm, extId: Self.counter, document: "0"))
        }
        return store
    }

    private func readCounter(_ store: EntityStore) throws -> StoredEntity {
        try #require(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: Self.counter))
    }

    @Test func compareAndSetHasOneWinnerPerRevision() throws {
        let store = try counterStore()
        let threads = 8
        let attempts = 40
        let wins = Mutex<[Int64]>([])
        let stale = Mutex(0)
        let failures = Mutex<[String]>([])
        onThreads(threads) { _ in
            for _ in 0..<attempts {
                do {
                    guard let seen = try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: Self.counter)
                    else { throw StoreError.closed }
                    let outcome = try store.write {
                        try $0.replace(
                            namespace: Fixture.namespace, kind: Fixture.vm, extId: Self.counter,
                            document: String(seen.revision), expectedRevision: seen.revision)
                    }
                    switch outcome {
                    case .ok(let revision): wins.withLock { $0.append(revision) }
                    case .stale: stale.withLock { $0 += 1 }
                    case .notFound: failures.withLock { $0.append("counter vanished") }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let won = wins.withLock { $0 }
        let final = try readCounter(store)
        #expect(won.count + stale.withLock { $0 } == threads * attempts)
        // Exactly one winner per revision: the winning revisions are 2...final, each once.
        #expect(won.sorted() == Array(2...final.revision))
        // Each winner wrote the revision it had read, so the last one read final - 1.
        #expect(final.document == String(final.revision - 1))
    }

    @Test func retriedIncrementsLoseNoUpdate() throws {
        let store = try counterStore()
        let threads = 6
        let increments = 25
        let failures = Mutex<[String]>([])
        onThreads(threads) { _ in
            do {
                for _ in 0..<increments {
                    while true {
                        let seen = try store.read { view in
                            try view.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: Self.counter)
                        }
                        guard let seen, let value = Int(seen.document) else { throw StoreError.closed }
                        let outcome = try store.write {
                            try $0.replace(
                                namespace: Fixture.namespace, kind: Fixture.vm, extId: Self.counter,
                                document: String(value + 1), expectedRevision: seen.revision)
                        }
                        if case .ok = outcome { break }
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let final = try readCounter(store)
        #expect(final.document == String(threads * increments))
        #expect(final.revision == Int64(1 + threads * increments))
    }

    @Test func aReadViewKeepsItsSnapshotWhileTheWriterCommits() throws {
        let store = try Fixture.store()
        try store.write { try $0.insert(contentsOf: [Fixture.vm("a", name: "before"), Fixture.vm("b")]) }
        try store.read { view throws in
            let first = try view.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 10)
            try store.write { transaction in
                try transaction.insert(Fixture.vm("c"))
                _ = try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: "{}", expectedRevision: 1)
                _ = try transaction.delete(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "b", expectedRevision: 1)
            }
            let second = try view.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 10)
            #expect(second == first)
            #expect(
                try view.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a")?.document.contains("before")
                    == true)
        }
        let after = try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 10)
        #expect(after.entities.map(\.extId) == ["a", "c"])
        #expect(after.totalCount == 2)
    }

    @Test func readersNeverSeeHalfATransaction() throws {
        let store = try Fixture.store()
        let transactions = 150
        let writerDone = Atomic(false)
        let readerStarted = DispatchSemaphore(value: 0)
        let violations = Mutex<[String]>([])
        let snapshots = Atomic(0)
        let readers = DispatchGroup()
        for _ in 0..<2 {
            readers.enter()
            Thread {
                defer { readers.leave() }
                var first = true
                repeat {
                    do {
                        let (kept, scanned) = try store.read { view in
                            (
                                try view.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 0).totalCount,
                                try view.list(
                                    namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "1 = 1", limit: 0
                                )
                                .totalCount
                            )
                        }
                        snapshots.add(1, ordering: .relaxed)
                        // Two rows per transaction: an odd count, or counts that disagree, saw half of one.
                        if kept != scanned || !scanned.isMultiple(of: 2) {
                            violations.withLock { $0.append("kept \(kept), scanned \(scanned)") }
                        }
                    } catch {
                        violations.withLock { $0.append("\(error)") }
                    }
                    if first { readerStarted.signal() }
                    first = false
                } while !writerDone.load(ordering: .acquiring)
            }.start()
        }
        readerStarted.wait()
        readerStarted.wait()
        for index in 0..<transactions {
            try store.write { transaction in
                try transaction.insert(Fixture.vm("p\(index)-a"))
                try transaction.insert(Fixture.vm("p\(index)-b"))
            }
        }
        writerDone.store(true, ordering: .releasing)
        readers.wait()
        #expect(violations.withLock { $0 } == [])
        #expect(snapshots.load(ordering: .relaxed) >= 2)
        #expect(try Fixture.scannedCount(store) == 2 * transactions)
    }

    @Test func morePendingReadsThanConnectionsWaitTheirTurn() throws {
        let store = try EntityStore(StoreConfiguration(readerCount: 2))
        try store.write { try $0.insert(contentsOf: (0..<10).map { Fixture.vm("vm-\($0)") }) }
        let totals = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        onThreads(8) { _ in
            for _ in 0..<25 {
                do {
                    let total = try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 3).totalCount
                    totals.withLock { $0.append(total) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(totals.withLock { $0 } == Array(repeating: 10, count: 200))
    }
}

/// Runs `body` on `count` dedicated threads (not the Dispatch pool, which on a small machine may run them one
/// after another) and returns when all are done.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    group.wait()
}
