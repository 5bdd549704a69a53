import FoundationEssentials
import PrismAPI
import Testing

@testable import PrismMock

struct RequestJournalTests {
    @Test func everyRequestIsJournaledNewestLast() throws {
        let clock = TestClock()
        let app = try TestApp.make { $0.clock = clock.function }
        _ = app.call("GET", Semantics.vmsPath, headers: [("NTNX-Request-Id", "first")])
        _ = app.raw("GET", Semantics.vmsPath + "?%24limit=1", headers: [("NTNX-Request-Id", "unauthenticated")])
        _ = app.call("POST", Semantics.vmsPath, body: Semantics.vmBody, headers: [("NTNX-Request-Id", "created")])
        let r = app.call("GET", "/_pcmock/requests")
        #expect(r.status == 200)
        let data = try #require(r.json["data"]?.arrayValue)
        #expect(data.count == 3)
        #expect(data.map { $0["requestId"]?.stringValue } == ["first", "unauthenticated", "created"])
        #expect(data.map { $0["status"] } == [.int(200), .int(401), .int(202)])
        #expect(data[2]["method"] == .string("POST"))
        #expect(data[1]["path"] == .string(Semantics.vmsPath))
        #expect(data[0]["time"] == .string("2030-03-17T17:46:40.000000Z"))
        for entry in data {
            guard case .int(let micros)? = entry["durationMicros"] else {
                Issue.record("durationMicros")
                continue
            }
            #expect(micros >= 0)
        }
    }

    @Test func limitKeepsTheNewest() throws {
        let app = try TestApp.make()
        for i in 0..<5 { _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "h\(i)")]) }
        let data = app.call("GET", "/_pcmock/requests?limit=2").json["data"]?.arrayValue ?? []
        #expect(data.map { $0["requestId"]?.stringValue } == ["h3", "h4"])
    }

    @Test(arguments: ["limit=0", "limit=x", "limit=-1", "limit=100001"])
    func badLimitsAre400(query: String) throws {
        let app = try TestApp.make()
        #expect(app.call("GET", "/_pcmock/requests?\(query)").status == 400)
    }

    /// Only the store's capacity is ever kept: of more requests than that, the newest, in order.
    @Test func moreRequestsThanTheCapacityKeepTheNewest() throws {
        let app = try TestApp.make()
        let capacity = app.store.configuration.journalCapacity
        for i in 0..<(capacity + 37) { _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "h\(i)")]) }
        let data = app.call("GET", "/_pcmock/requests?limit=100000").json["data"]?.arrayValue ?? []
        #expect(data.count == capacity)
        #expect(data.first?["requestId"]?.stringValue == "h37")
        #expect(data.last?["requestId"]?.stringValue == "h\(capacity + 36)")
    }

    /// A reset empties the journal of every request before it, pending or written.
    @Test func resetEmptiesTheJournalOfEarlierRequests() throws {
        let app = try TestApp.make()
        _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "written")])
        _ = app.call("GET", "/_pcmock/requests")
        _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "pending")])
        #expect(app.call("POST", "/_pcmock/reset", headers: [("NTNX-Request-Id", "reset")]).status == 204)
        let data = app.call("GET", "/_pcmock/requests").json["data"]?.arrayValue ?? []
        #expect(data.map { $0["requestId"]?.stringValue } == ["reset"])
    }

    /// The journal is part of a snapshot: a restore brings back the entries it held when saved.
    @Test func snapshotsCarryTheJournal() throws {
        let app = try TestApp.make()
        _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "before")])
        #expect(app.call("POST", "/_pcmock/snapshots/s1", headers: [("NTNX-Request-Id", "save")]).status == 201)
        _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "after")])
        let restore = app.call("POST", "/_pcmock/snapshots/s1/$actions/restore", headers: [("NTNX-Request-Id", "restore")])
        #expect(restore.status == 204)
        let data = app.call("GET", "/_pcmock/requests").json["data"]?.arrayValue ?? []
        #expect(data.map { $0["requestId"]?.stringValue } == ["before", "restore"])
    }

    /// A file database keeps the journal across a restart, closed or merely released.
    @Test func aFileDatabaseKeepsTheJournalAcrossRestarts() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-journal-\(UUID()).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        do {
            let app = try TestApp.make { $0.database = path }
            _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "closed")])
            app.close()
        }
        do {
            let app = try TestApp.make { $0.database = path }
            _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "released")])
        }
        let app = try TestApp.make { $0.database = path }
        let data = app.call("GET", "/_pcmock/requests").json["data"]?.arrayValue ?? []
        #expect(data.map { $0["requestId"]?.stringValue } == ["closed", "released"])
    }

    @Test func flushMovesBufferedEntriesIntoTheStore() throws {
        let app = try TestApp.make()
        _ = app.call("GET", "/_pcmock/health", headers: [("NTNX-Request-Id", "background")])
        try app.journal.flush()
        let stored = try app.store.read { try $0.recentJournal(limit: 10) }
        #expect(stored.map(\.requestId) == ["background"])
    }
}
