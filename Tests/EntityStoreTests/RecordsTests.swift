import Foundation
import Testing

@testable import EntityStore

struct StoredTaskTests {
    @Test func upsertKeepsCreationTimeAndUpdatesTheRest() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        let first = try store.write {
            try $0.upsertTask(
                extId: "t1", status: "QUEUED", dueAt: clock.now, effect: #"{"op":"create"}"#, document: "{}")
        }
        clock.advance(by: 5)
        try store.write { try $0.upsertTask(extId: "t1", status: "SUCCEEDED", dueAt: nil, document: #"{"done":true}"#) }
        let task = try #require(try store.read { try $0.task(extId: "t1") })
        #expect(task.status == "SUCCEEDED")
        #expect(task.dueAt == nil)
        #expect(task.effect == nil)
        #expect(task.document == #"{"done":true}"#)
        #expect(task.createdAt == first.createdAt)
        #expect(abs(task.updatedAt.timeIntervalSince(first.createdAt) - 5) < 1e-5)
    }

    @Test func dueTasksAreThoseDueByNowEarliestFirst() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        let now = clock.now
        try store.write { transaction in
            try transaction.upsertTask(extId: "later", status: "RUNNING", dueAt: now + 60, document: "{}")
            try transaction.upsertTask(extId: "b", status: "QUEUED", dueAt: now - 1, document: "{}")
            try transaction.upsertTask(extId: "a", status: "QUEUED", dueAt: now - 10, document: "{}")
            try transaction.upsertTask(extId: "exact", status: "QUEUED", dueAt: now, document: "{}")
            try transaction.upsertTask(extId: "settled", status: "SUCCEEDED", dueAt: nil, document: "{}")
        }
        #expect(try store.read { try $0.dueTasks() }.map(\.extId) == ["a", "b", "exact"])
        #expect(try store.read { try $0.dueTasks(limit: 1) }.map(\.extId) == ["a"])
        let next = try #require(try store.read { try $0.nextTaskDueDate() })
        #expect(abs(next.timeIntervalSince(now - 10)) < 1e-5)
        clock.advance(by: 61)
        #expect(try store.read { try $0.dueTasks() }.map(\.extId) == ["a", "b", "exact", "later"])
    }

    @Test func listTasksTakesFragmentsLikeEntities() throws {
        let store = try Fixture.store()
        try store.write { transaction in
            for (index, status) in ["QUEUED", "FAILED", "SUCCEEDED", "FAILED"].enumerated() {
                try transaction.upsertTask(
                    extId: "t\(index)", status: status, dueAt: nil, document: #"{"progress":\#(index * 10)}"#)
            }
        }
        let page = try store.read {
            try $0.listTasks(
                whereSQL: "status = ?", orderBySQL: "json_extract(document, '$.progress') DESC", arguments: ["FAILED"],
                limit: 1)
        }
        #expect(page.tasks.map(\.extId) == ["t3"])
        #expect(page.totalCount == 2)
    }
}

struct IdempotencyRecordTests {
    private func record(_ id: String, expiresAt: Date, body: [UInt8] = [1, 2, 3]) -> IdempotencyRecord {
        IdempotencyRecord(
            requestId: id, fingerprint: "POST /api/x sha256:ab", status: 202, headers: #"{"ETag":"x"}"#, body: body,
            expiresAt: expiresAt)
    }

    @Test func recordsReplayUntilTheyExpire() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        let stored = record("r1", expiresAt: clock.now + 60, body: [])
        try store.write { try $0.putIdempotencyRecord(stored) }
        let read = try #require(try store.read { try $0.idempotencyRecord(requestId: "r1") })
        #expect(read.fingerprint == stored.fingerprint)
        #expect(read.status == 202)
        #expect(read.headers == stored.headers)
        #expect(read.body == [])
        clock.advance(by: 60)
        #expect(try store.read { try $0.idempotencyRecord(requestId: "r1") } == nil)
    }

    @Test(arguments: [Date.distantFuture, Date(timeIntervalSince1970: .infinity), Date(timeIntervalSince1970: 1e300)])
    func farFutureExpiryIsStoredWithoutTrapping(expiresAt: Date) throws {
        let store = try Fixture.store()
        try store.write { try $0.putIdempotencyRecord(record("far", expiresAt: expiresAt)) }
        #expect(try store.read { try $0.idempotencyRecord(requestId: "far") } != nil)
    }

    @Test func putOverwritesAndPurgeDropsOnlyExpired() throws {
        let clock = TestClock()
        let store = try Fixture.store(clock: clock)
        try store.write { transaction in
            try transaction.putIdempotencyRecord(record("old", expiresAt: clock.now + 1))
            try transaction.putIdempotencyRecord(record("new", expiresAt: clock.now + 100))
            try transaction.putIdempotencyRecord(record("new", expiresAt: clock.now + 100, body: [9]))
        }
        clock.advance(by: 2)
        let purged = try store.write { try $0.purgeExpiredIdempotencyRecords() }
        #expect(purged == 1)
        #expect(try store.write { try $0.idempotencyRecord(requestId: "new") }?.body == [9])
        let remaining = try store.read { try $0.database.scalarInt("SELECT count(*) FROM idempotency") }
        #expect(remaining == 1)
    }
}

struct JournalEntryTests {
    @Test func journalKeepsTheNewestEntriesNewestLast() throws {
        let store = try Fixture.store(journalCapacity: 5)
        for index in 1...12 {
            try store.write {
                try $0.appendJournal(
                    method: "GET", path: "/p/\(index)", status: 200 + index,
                    requestId: index.isMultiple(of: 2) ? "r\(index)" : nil,
                    durationMicros: Int64(index))
            }
        }
        let entries = try store.read { try $0.recentJournal() }
        #expect(entries.map(\.path) == (8...12).map { "/p/\($0)" })
        #expect(entries.map(\.sequence) == Array(8...12))
        #expect(entries.map(\.requestId) == ["r8", nil, "r10", nil, "r12"])
        #expect(entries.map(\.status) == Array(208...212))
        #expect(try store.read { try $0.recentJournal(limit: 2) }.map(\.path) == ["/p/11", "/p/12"])
        let rows = try store.read { try $0.database.scalarInt("SELECT count(*) FROM journal") }
        #expect(rows == 5)
    }
}
