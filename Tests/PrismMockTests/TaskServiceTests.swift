import FoundationEssentials
import PrismAPI
import Testing

@testable import PrismMock

struct TaskServiceTests {
    static func cancelPath(_ id: String) -> String { TaskTestApp.taskPath(id) + "/$actions/cancel" }

    @Test func cancelGoesThroughCancelingToCanceledAndNothingIsCreated() throws {
        let t = try TaskTestApp(mode: .manual)
        let before = t.vmCount()
        let id = t.createVm("never")
        let reply = t.send("POST", Self.cancelPath(id))
        #expect(reply.status == 202)
        #expect(reply.data["$objectType"] == .string("prism.v4.error.AppMessage"))
        #expect(reply.json["$objectType"] == .string("prism.v4.config.CancelTaskApiResponse"))
        #expect(t.status(id) == "CANCELING")
        #expect(t.task(id)["isCancelable"] == .bool(false))
        try t.scheduler.advance(toCompletion: false)
        let task = t.task(id)
        #expect(task["status"] == .string("CANCELED"))
        #expect(task["errorMessages"]?.arrayValue?.isEmpty == false)
        #expect(task["completedTime"] != nil)
        try t.scheduler.advance(toCompletion: true)
        #expect(t.status(id) == "CANCELED")
        #expect(t.vmCount() == before)
    }

    @Test func aRunningTaskCanBeCanceled() throws {
        let t = try TaskTestApp(mode: .manual)
        let id = t.createVm("half")
        try t.scheduler.advance(toCompletion: false)
        #expect(t.status(id) == "RUNNING")
        #expect(t.send("POST", Self.cancelPath(id)).status == 202)
        try t.scheduler.advance(toCompletion: true)
        #expect(t.status(id) == "CANCELED")
        #expect(t.createdExtId(id) == nil)
    }

    @Test func cancelingAFinishedTaskIs409AndUnknownIs404() throws {
        let t = try TaskTestApp(mode: .immediate)
        let id = t.createVm("done")
        let conflict = t.send("POST", Self.cancelPath(id))
        #expect(conflict.status == 409)
        #expect(conflict.data["error"]?.arrayValue?.first?["errorGroup"] == .string("TASK_NOT_CANCELABLE"))
        #expect(t.status(id) == "SUCCEEDED")
        let missing = "ZXJnb24=:00000000-0000-0000-0000-00000000dead"
        #expect(t.send("POST", Self.cancelPath(missing)).status == 404)
        #expect(t.send("GET", TaskTestApp.taskPath(missing)).status == 404)
        #expect(t.send("GET", TaskTestApp.taskPath(missing) + "/affected-entities").status == 404)
        #expect(t.send("GET", TaskTestApp.taskPath(missing) + "/jobs").status == 404)
    }

    @Test func aCancelingTaskEndsCanceledWhenImmediateModeDrainsIt() throws {
        let t = try TaskTestApp(mode: .manual)
        let id = t.createVm("quick")
        #expect(t.send("POST", Self.cancelPath(id)).status == 202)
        #expect(t.send("PUT", "/_pcmock/config", #"{"tasks":{"mode":"immediate"}}"#).status == 200)
        try t.scheduler.tick(now: t.clock.now)
        #expect(t.status(id) == "CANCELED")
        #expect(t.createdExtId(id) == nil)
    }

    @Test func theTaskIdIsAcceptedPercentEncodedOrNot() throws {
        let t = try TaskTestApp(mode: .immediate)
        let id = t.createVm("encoded")
        #expect(t.send("GET", "/api/prism/v4.4/config/tasks/" + id).data["extId"] == .string(id))
        #expect(t.send("GET", TaskTestApp.taskPath(id)).data["extId"] == .string(id))
        #expect(t.send("GET", "/api/prism/v4.0/config/tasks/" + BatchRequest.encodeSegment(id)).status == 200)
    }

    @Test func affectedEntitiesListTheTaskEntities() throws {
        let t = try TaskTestApp(mode: .immediate)
        let id = t.createVm("affected")
        let vmId = try #require(t.createdExtId(id))
        let reply = t.send("GET", TaskTestApp.taskPath(id) + "/affected-entities")
        #expect(reply.status == 200)
        let items = try #require(reply.data.arrayValue)
        #expect(items.count == 1)
        #expect(items.first?["extId"] == .string(vmId))
        #expect(items.first?["rel"] == .string("vmm:ahv:config:vm"))
        #expect(items.first?["name"] == .string("affected"))
        #expect(reply.json["metadata"]?["totalAvailableResults"] == .int(1))
    }

    /// The filters CAPX and the Ansible modules send (real-clients.md §4).
    @Test func listFiltersOnStatusOperationTimesAndAffectedEntities() throws {
        let t = try TaskTestApp(mode: .manual)
        let done = t.createVm("done")
        try t.scheduler.advance(toCompletion: true)
        t.clock.advance(milliseconds: 1_000)
        let queued = t.createVm("queued")
        let path = TaskTestApp.vms + "/" + TaskTestApp.fixtureVm
        let deleting = t.send("DELETE", path, headers: [("If-Match", t.etag(path))]).data["extId"]?.stringValue ?? ""
        func ids(_ filter: String) -> [String] {
            let r = t.send("GET", "/api/prism/v4.4/config/tasks?%24filter=" + FormEncoding.encode(filter))
            #expect(r.status == 200, "\(filter): \(r.text)")
            return (r.data.arrayValue ?? []).compactMap { $0["extId"]?.stringValue }
        }
        #expect(ids("status eq Prism.Config.TaskStatus'SUCCEEDED'") == [done])
        #expect(Set(ids("status eq Prism.Config.TaskStatus'QUEUED'")) == [queued, deleting])
        #expect(Set(ids("operation eq 'createVm'")) == [done, queued])
        #expect(ids("operation eq 'deleteVmById'") == [deleting])
        #expect(ids("createdTime gt 2026-01-01T00:00:00.500Z").count == 2)
        #expect(ids("entitiesAffected/any(e:e/extId eq '\(TaskTestApp.fixtureVm)')") == [deleting])
        let capx =
            "entitiesAffected/any(a:a/extId eq '\(TaskTestApp.fixtureVm)') and "
            + "(status eq Prism.Config.TaskStatus'RUNNING' or status eq Prism.Config.TaskStatus'QUEUED')"
        #expect(ids(capx) == [deleting])
        let r = t.send("GET", "/api/prism/v4.4/config/tasks?%24filter=nosuchfield+eq+1")
        #expect(r.status == 400)
    }

    @Test func listPagesAndSelects() throws {
        let t = try TaskTestApp(mode: .immediate)
        for i in 0..<3 { _ = t.createVm("p\(i)") }
        let r = t.send("GET", "/api/prism/v4.4/config/tasks?%24limit=2&%24page=1&%24select=status")
        #expect(r.status == 200)
        let items = try #require(r.data.arrayValue)
        #expect(items.count == 1)
        #expect(items.first?["status"] == .string("SUCCEEDED"))
        #expect(items.first?["operation"] == nil)
        #expect(r.json["metadata"]?["totalAvailableResults"] == .int(3))
    }

    /// Status and createdTime are read from the task row's columns (`TaskListSQL`); the answers
    /// must be those of the document fields.
    @Test func statusFiltersAndCreatedTimeOrderAgreeWithTheDocuments() throws {
        let t = try TaskTestApp(mode: .manual)
        var ids: [String] = []
        for i in 0..<4 {
            ids.append(t.createVm("o\(i)"))
            t.clock.advance(milliseconds: 5)
        }
        t.send("POST", TaskServiceTests.cancelPath(ids[1]))
        let query = "%24filter=status+ne+Prism.Config.TaskStatus%27CANCELING%27&%24orderby=createdTime+desc"
        let r = t.send("GET", "/api/prism/v4.4/config/tasks?" + query)
        #expect(r.status == 200, "\(r.text)")
        #expect((r.data.arrayValue ?? []).compactMap { $0["extId"]?.stringValue } == [ids[3], ids[2], ids[0]])
        let asc = t.send("GET", "/api/prism/v4.4/config/tasks?%24orderby=createdTime+asc&%24limit=2")
        #expect((asc.data.arrayValue ?? []).compactMap { $0["extId"]?.stringValue } == [ids[0], ids[1]])
        let canceling = t.send("GET", "/api/prism/v4.4/config/tasks?%24filter=status+eq+Prism.Config.TaskStatus%27CANCELING%27")
        #expect((canceling.data.arrayValue ?? []).compactMap { $0["extId"]?.stringValue } == [ids[1]])
    }
}
