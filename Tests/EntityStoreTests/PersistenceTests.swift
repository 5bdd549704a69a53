import Foundation
import Testing

@testable import EntityStore

/// File-backed stores: restart, schema versioning, pragmas.
struct StoreSchemaTests {
    @Test func aFileStoreKeepsEverythingAcrossARestart() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("pc.sqlite")
        let clock = TestClock()
        do {
            let store = try Fixture.store(clock: clock, location: .file(path))
            try store.write { transaction in
                try transaction.insert(contentsOf: [Fixture.vm("a"), Fixture.disk("d", parent: "a")])
                _ = try transaction.replace(
                    namespace: Fixture.namespace, kind: Fixture.vm, extId: "a", document: #"{"v":2}"#,
                    expectedRevision: 1)
                try transaction.upsertTask(extId: "t", status: "RUNNING", dueAt: clock.now + 5, document: "{}")
                try transaction.putIdempotencyRecord(
                    IdempotencyRecord(
                        requestId: "r", fingerprint: "f", status: 201, headers: "{}", body: [7],
                        expiresAt: clock.now + 60))
                try transaction.appendJournal(method: "PUT", path: "/x", status: 200, requestId: "r", durationMicros: 9)
            }
        }
        let store = try Fixture.store(clock: clock, location: .file(path))
        let vm = try #require(try store.get(namespace: Fixture.namespace, kind: Fixture.vm, extId: "a"))
        #expect(vm.revision == 2)
        #expect(vm.document == #"{"v":2}"#)
        #expect(
            try store.list(namespace: Fixture.namespace, kind: Fixture.disk, parentExtId: "a", limit: 5).totalCount == 1
        )
        try store.read { view throws in
            #expect(try view.task(extId: "t")?.status == "RUNNING")
            #expect(try view.idempotencyRecord(requestId: "r")?.body == [7])
            #expect(try view.recentJournal().map(\.path) == ["/x"])
            #expect(try view.database.scalarInt("PRAGMA user_version") == Int64(StoreSchema.version))
        }
    }

    @Test func aLargeCommitIsCheckpointedAfterTheCallerReturns() throws {
        let store = try Fixture.store()
        try store.write { transaction in  // a few hundred frames: under the threshold
            try transaction.insert(contentsOf: (0..<100).map { Fixture.vm("small-\($0)") })
        }
        #expect(store.writeQueue.sync { store.writer.checkpoints } == 0)
        let padding = String(repeating: "x", count: 3_000)
        try store.write { transaction in  // ~1,500 pages of 4 KiB
            try transaction.insert(
                contentsOf: (0..<1_500).map {
                    NewEntity(namespace: Fixture.namespace, kind: Fixture.vm, extId: "big-\($0)", document: padding)
                })
        }
        // `sync` runs after the checkpoint the write queued.
        #expect(store.writeQueue.sync { store.writer.checkpoints } == 1)
        #expect(try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 0).totalCount == 1_600)
    }

    @Test func aNewerSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("future.sqlite")
        do {
            let raw = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: 0)
            try raw.execute("PRAGMA user_version = 99")
        }
        #expect(throws: StoreError.unsupportedSchemaVersion(found: 99, supported: StoreSchema.version)) {
            try Fixture.store(location: .file(path))
        }
    }

    @Test(arguments: [
        (StoreConfiguration.Location.memory, false, Int64(0)), (.file("db.sqlite"), false, 1),
        (.file("db.sqlite"), true, 2),
    ])
    func synchronousFollowsLocationAndFlag(location: StoreConfiguration.Location, fullSync: Bool, expected: Int64)
        throws
    {
        let directory = try TemporaryDirectory()
        var resolved = location
        if case .file(let name) = location { resolved = .file(directory.path(name)) }
        let store = try EntityStore(StoreConfiguration(location: resolved, fullSync: fullSync))
        let level = try store.writeQueue.sync { try store.writer.open().scalarInt("PRAGMA synchronous") }
        #expect(level == expected)  // OFF = 0, NORMAL = 1, FULL = 2
        let mode = try store.writeQueue.sync { try store.writer.open().scalarText("PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}
