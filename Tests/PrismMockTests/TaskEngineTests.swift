import FoundationEssentials
import PrismAPI
import Testing

@testable import PrismMock

struct TaskEngineTests {
    @Test func manualModeMovesQueuedRunningSucceededAndDefersTheCreate() throws {
        let t = try TaskTestApp(mode: .manual)
        let before = t.vmCount()
        let id = t.createVm("deferred")
        #expect(id.hasPrefix("ZXJnb24=:"))
        var task = t.task(id)
        #expect(task["status"] == .string("QUEUED"))
        #expect(task["progressPercentage"] == .int(0))
        #expect(task["startedTime"] == nil)
        #expect(task["isCancelable"] == .bool(true))
        #expect(task["operation"] == .string("createVm"))
        #expect(task["ownedBy"]?["name"] == .string("admin"))
        #expect(task["clusterExtIds"] == .array([.string(TaskTestApp.cluster)]))
        #expect(task["entitiesAffected"]?.arrayValue?.first?["rel"] == .string("vmm:ahv:config:vm"))
        #expect(t.vmCount() == before)

        t.clock.advance(milliseconds: 10)
        #expect(t.send("POST", "/_pcmock/tasks/$actions/advance").status == 200)
        task = t.task(id)
        #expect(task["status"] == .string("RUNNING"))
        #expect(task["progressPercentage"] == .int(50))
        #expect(
            task["startedTime"]?.stringValue?.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/#) != nil)
        #expect(task["startedTime"]?.stringValue == "2026-01-01T00:00:00.010000Z")
        #expect(t.vmCount() == before)

        t.clock.advance(milliseconds: 10)
        t.send("POST", "/_pcmock/tasks/$actions/advance", "{}")
        task = t.task(id)
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(task["progressPercentage"] == .int(100))
        #expect(task["isCancelable"] == .bool(false))
        #expect(task["completedTime"]?.stringValue == "2026-01-01T00:00:00.020000Z")
        #expect(task["errorMessages"] == .array([]))
        let details = task["completionDetails"]?.arrayValue?.first
        #expect(details?["name"] == .string("vmExtId"))
        let vmId = try #require(details?["value"]?.stringValue)
        #expect(task["entitiesAffected"]?.arrayValue?.first?["extId"]?.stringValue == vmId)
        #expect(t.vmCount() == before + 1)
        #expect(t.send("GET", TaskTestApp.vms + "/" + vmId).data["name"] == .string("deferred"))
    }

    @Test func timedModeRisesThroughRunningOnTheInjectedClock() throws {
        let t = try TaskTestApp(mode: .timed, delayMs: 300)
        let id = t.createVm("timed")
        try t.scheduler.tick(now: t.clock.now.addingTimeInterval(0.05))
        #expect(t.status(id) == "QUEUED")
        t.clock.advance(milliseconds: 100)
        try t.scheduler.tick(now: t.clock.now)
        #expect(t.task(id)["progressPercentage"] == .int(33))
        #expect(t.status(id) == "RUNNING")
        t.clock.advance(milliseconds: 100)
        try t.scheduler.tick(now: t.clock.now)
        #expect(t.task(id)["progressPercentage"] == .int(66))
        #expect(t.createdExtId(id) == nil)
        t.clock.advance(milliseconds: 100)
        try t.scheduler.tick(now: t.clock.now)
        #expect(t.status(id) == "SUCCEEDED")
        #expect(t.task(id)["completedTime"]?.stringValue == "2026-01-01T00:00:00.300000Z")
        #expect(t.createdExtId(id) != nil)
    }

    @Test func immediateModeFinishesBeforeThe202() throws {
        let t = try TaskTestApp(mode: .immediate)
        let before = t.vmCount()
        let id = t.createVm("now")
        let task = t.task(id)
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(task["startedTime"] == task["createdTime"])
        #expect(t.vmCount() == before + 1)
    }

    @Test func aDeleteOfAnEntityDeletedMeanwhileFailsWithAMessage() throws {
        let t = try TaskTestApp(mode: .manual)
        let path = TaskTestApp.vms + "/" + TaskTestApp.fixtureVm
        let etag = t.etag(path)
        let first = t.send("DELETE", path, headers: [("If-Match", etag)])
        let second = t.send("DELETE", path, headers: [("If-Match", etag)])
        #expect(first.status == 202 && second.status == 202)
        try t.scheduler.advance(toCompletion: true)
        #expect(t.status(first.data["extId"]?.stringValue ?? "") == "SUCCEEDED")
        let failed = t.task(second.data["extId"]?.stringValue ?? "")
        #expect(failed["status"] == .string("FAILED"))
        let message = try #require(failed["errorMessages"]?.arrayValue?.first)
        #expect(message["message"]?.stringValue?.contains("was deleted before the task could run") == true)
        #expect(message["$objectType"] == .string("prism.v4.error.AppMessage"))
        #expect(t.send("GET", path).status == 404)
    }

    @Test func aStaleUpdateFailsAndChangesNothing() throws {
        let t = try TaskTestApp(mode: .manual)
        let path = TaskTestApp.vms + "/" + TaskTestApp.fixtureVm
        let etag = t.etag(path)
        let a = t.send("PUT", path, #"{"name":"first"}"#, headers: [("If-Match", etag)])
        let b = t.send("PUT", path, #"{"name":"second"}"#, headers: [("If-Match", etag)])
        #expect(a.status == 202 && b.status == 202)
        #expect(t.send("GET", path).data["name"] != .string("first"))
        try t.scheduler.advance(toCompletion: true)
        #expect(t.status(a.data["extId"]?.stringValue ?? "") == "SUCCEEDED")
        let failed = t.task(b.data["extId"]?.stringValue ?? "")
        #expect(failed["status"] == .string("FAILED"))
        #expect(failed["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("CONCURRENT_MODIFICATION"))
        #expect(t.send("GET", path).data["name"] == .string("first"))
    }

    @Test func aCreateUnderAParentDeletedMeanwhileFails() throws {
        let t = try TaskTestApp(mode: .manual)
        let vm = TaskTestApp.vms + "/" + TaskTestApp.fixtureVm
        // Submitted in this order, the delete applies first (tasks run in submission order).
        #expect(t.send("DELETE", vm, headers: [("If-Match", t.etag(vm))]).status == 202)
        let nic = t.send("POST", vm + "/nics", "{}")
        #expect(nic.status == 202, "\(nic.text)")
        try t.scheduler.advance(toCompletion: true)
        let task = t.task(nic.data["extId"]?.stringValue ?? "")
        #expect(task["status"] == .string("FAILED"))
        // The NIC lives in the VM document, so its create is an edit of a VM that is gone.
        let error = task["errorMessages"]?.arrayValue?.first
        #expect(error?["errorGroup"] == .string("ENTITY_NOT_FOUND"))
        #expect(error?["message"]?.stringValue?.contains(TaskTestApp.fixtureVm) == true)
    }

    @Test func anUnfinishedTimedTaskResumesAfterARestart() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-tasks-\(UUID().uuidString).db")
            .path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + s) } }
        let clock = ManualClock()
        var id = ""
        do {
            let first = try TaskTestApp(mode: .timed, delayMs: 300, database: file, clock: clock)
            id = first.createVm("survivor")
            #expect(first.status(id) == "QUEUED")
        }
        let second = try TaskTestApp(mode: .timed, delayMs: 300, database: file, clock: clock)
        #expect(second.status(id) == "QUEUED")
        clock.advance(milliseconds: 1_000)
        try second.scheduler.tick(now: clock.now)
        #expect(second.status(id) == "SUCCEEDED")
        let vmId = try #require(second.createdExtId(id))
        #expect(second.send("GET", TaskTestApp.vms + "/" + vmId).data["name"] == .string("survivor"))
    }

    @Test func switchingToImmediateDrainsPendingTasks() throws {
        let t = try TaskTestApp(mode: .manual)
        let id = t.createVm("pending")
        #expect(t.send("PUT", "/_pcmock/config", #"{"tasks":{"mode":"immediate"}}"#).status == 200)
        try t.scheduler.tick(now: t.clock.now)
        #expect(t.status(id) == "SUCCEEDED")
    }

    @Test func manualModeTickMovesNothing() throws {
        let t = try TaskTestApp(mode: .manual)
        let id = t.createVm("still")
        t.clock.advance(milliseconds: 10_000)
        #expect(try t.scheduler.tick(now: t.clock.now) == 0)
        #expect(t.status(id) == "QUEUED")
    }

    @Test(arguments: ["[]", #"{"toCompletion":1}"#, #"{"other":true}"#])
    func advanceRejectsBadBodies(body: String) throws {
        let t = try TaskTestApp(mode: .manual)
        #expect(t.send("POST", "/_pcmock/tasks/$actions/advance", body).status == 400)
    }
}
