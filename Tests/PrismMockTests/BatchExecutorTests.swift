import FoundationEssentials
import OData
import PrismAPI
import Testing

@testable import PrismMock

struct BatchExecutorTests {
    static let submit = "/api/prism/v4.4/operations/$actions/batch"
    static let batches = "/api/prism/v4.4/operations/batches"

    static func body(
        _ action: String, uri: String, items: [String], stopOnError: Bool = false, chunkSize: Int = 1
    ) -> String {
        #"{"metadata":{"action":"\#(action)","name":"test-batch","uri":"\#(uri)","shouldStopOnError":\#(stopOnError),"#
            + #""chunkSize":\#(chunkSize),"$objectType":"prism.v4.operations.BatchSpecMetadata"},"payload":["#
            + items.joined(separator: ",") + #"],"$objectType":"prism.v4.operations.BatchSpec"}"#
    }

    static func createItem(_ name: String) -> String {
        #"{"data":{"name":"\#(name)","cluster":{"extId":"\#(TaskTestApp.cluster)"},"$objectType":"vmm.v4.ahv.config.Vm"}}"#
    }

    static let badItem = #"{"data":{"name":5}}"#

    static func modifyItem(_ extId: String, name: String, ifMatch: String) -> String {
        #"{"data":{"name":"\#(name)"},"metadata":{"headers":[{"name":"If-Match","value":"# + JSON.quoted(ifMatch)
            + #"}],"path":[{"name":"extId","value":"\#(extId)"}]}}"#
    }

    /// Submits; returns the batch task.
    static func run(_ t: TaskTestApp, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSON {
        let r = t.send("POST", submit, body)
        #expect(r.status == 202, "\(r.text.prefix(600))", sourceLocation: sourceLocation)
        #expect(
            r.json["$objectType"] == .string("prism.v4.operations.SubmitBatchApiResponse"),
            sourceLocation: sourceLocation)
        return t.task(r.data["extId"]?.stringValue ?? "")
    }

    static func jobs(_ t: TaskTestApp, _ task: JSON) -> [JSON] {
        let id = task["extId"]?.stringValue ?? ""
        return t.send("GET", TaskTestApp.taskPath(id) + "/jobs?%24limit=100").data.arrayValue ?? []
    }

    static func batch(_ t: TaskTestApp, _ task: JSON) -> JSON {
        let id = task["entitiesAffected"]?.arrayValue?.first?["extId"]?.stringValue ?? ""
        return t.send("GET", batches + "/" + id).data
    }

    static func summary(_ task: JSON) -> [Int64?] {
        let s = task["batchSummary"]
        return ["numberOfJobs", "numberOfJobsSuccessful", "numberOfJobsFailed"].map {
            if case .int(let v)? = s?[$0] { return v } else { return nil }
        }
    }

    @Test func fiveHundredCreatesSucceed() throws {
        let t = try TaskTestApp(mode: .immediate)
        let before = t.vmCount()
        let items = (0..<500).map { Self.createItem("bulk-\($0)") }
        let task = Self.run(t, Self.body("CREATE", uri: TaskTestApp.vms, items: items, chunkSize: 50))
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(Self.summary(task) == [500, 500, 0])
        #expect(task["subTasks"]?.arrayValue?.count == 500)
        #expect(task["numberOfSubtasks"] == .int(500))
        #expect(t.vmCount() == before + 500)
        let firstSub = try #require(task["subTasks"]?.arrayValue?.first?["extId"]?.stringValue)
        #expect(t.task(firstSub)["parentTask"]?["extId"] == task["extId"])
        let page = t.send(
            "GET", TaskTestApp.taskPath(task["extId"]?.stringValue ?? "") + "/jobs?%24limit=100&%24page=4")
        #expect(page.json["metadata"]?["totalAvailableResults"] == .int(500))
        #expect(page.data.arrayValue?.count == 100)
        #expect(page.data.arrayValue?.allSatisfy { $0["status"] == .string("SUCCEEDED") } == true)
        let batch = Self.batch(t, task)
        #expect(batch["completionStatus"] == .string("SUCCEEDED"))
        #expect(batch["executionStatus"] == .string("COMPLETED"))
        #expect(batch["successCount"] == .int(500))
        #expect(batch["size"] == .int(500))
        #expect(batch["$objectType"] == .string("prism.v4.operations.Batch"))
    }

    @Test func oneBadItemFailsAloneWithoutStopOnError() throws {
        let t = try TaskTestApp(mode: .immediate)
        let before = t.vmCount()
        let items = [Self.createItem("a"), Self.badItem, Self.createItem("b"), Self.createItem("c")]
        let task = Self.run(t, Self.body("CREATE", uri: TaskTestApp.vms, items: items, chunkSize: 2))
        #expect(task["status"] == .string("FAILED"))
        #expect(task["errorMessages"]?.arrayValue?.first?["message"]?.stringValue?.contains("1 of 4") == true)
        #expect(Self.summary(task) == [4, 3, 1])
        #expect(t.vmCount() == before + 3)
        let jobs = Self.jobs(t, task)
        #expect(jobs.map { $0["status"]?.stringValue ?? "" } == ["SUCCEEDED", "FAILED", "SUCCEEDED", "SUCCEEDED"])
        let error = jobs[1]["errorMessages"]?.arrayValue?.first
        #expect(error?["errorGroup"] == .string("SCHEMA_VALIDATION_FAILED"))
        #expect(error?["argumentsMap"]?["httpStatus"] == .string("400"))
        let batch = Self.batch(t, task)
        #expect(batch["completionStatus"] == .string("PARTIALLY_SUCCEEDED"))
        #expect(batch["failedCount"] == .int(1))
    }

    @Test(arguments: [(1, 2), (2, 2), (3, 3)])
    func stopOnErrorStopsAfterTheFailingChunk(chunkSize: Int, runItems: Int) throws {
        let t = try TaskTestApp(mode: .immediate)
        let before = t.vmCount()
        let items = [Self.createItem("a"), Self.badItem, Self.createItem("b"), Self.createItem("c")]
        let task = Self.run(
            t, Self.body("CREATE", uri: TaskTestApp.vms, items: items, stopOnError: true, chunkSize: chunkSize))
        #expect(task["status"] == .string("FAILED"))
        #expect(
            task["errorMessages"]?.arrayValue?.first?["message"]?.stringValue?.contains("shouldStopOnError") == true)
        #expect(Self.jobs(t, task).count == runItems)
        #expect(t.vmCount() == before + runItems - 1)
        #expect(Self.batch(t, task)["size"] == .int(4))
    }

    @Test func modifyWithAStaleIfMatchFailsOnlyThatItem() throws {
        let t = try TaskTestApp(mode: .immediate)
        let a = TaskTestApp.vms + "/" + TaskTestApp.fixtureVm
        let b = TaskTestApp.vms + "/" + TaskTestApp.otherFixtureVm
        let staleB = t.etag(b)
        #expect(t.send("PUT", b, #"{"name":"moved-on"}"#, headers: [("If-Match", staleB)]).status == 202)
        let items = [
            Self.modifyItem(TaskTestApp.fixtureVm, name: "renamed-a", ifMatch: t.etag(a)),
            Self.modifyItem(TaskTestApp.otherFixtureVm, name: "renamed-b", ifMatch: staleB),
        ]
        let task = Self.run(t, Self.body("MODIFY", uri: TaskTestApp.vms + "/{extId}", items: items))
        #expect(Self.summary(task) == [2, 1, 1])
        let jobs = Self.jobs(t, task)
        #expect(jobs.first?["status"] == .string("SUCCEEDED"))
        #expect(jobs.last?["status"] == .string("FAILED"))
        #expect(jobs.last?["errorMessages"]?.arrayValue?.first?["argumentsMap"]?["httpStatus"] == .string("412"))
        #expect(t.send("GET", a).data["name"] == .string("renamed-a"))
        #expect(t.send("GET", b).data["name"] == .string("moved-on"))
    }

    @Test func aMissingPathValueFailsTheItem() throws {
        let t = try TaskTestApp(mode: .immediate)
        let task = Self.run(t, Self.body("DELETE", uri: TaskTestApp.vms + "/{extId}", items: [#"{"metadata":{}}"#]))
        let job = try #require(Self.jobs(t, task).first)
        #expect(job["status"] == .string("FAILED"))
        #expect(job["errorMessages"]?.arrayValue?.first?["message"]?.stringValue?.contains("{extId}") == true)
    }

    @Test func fiveHundredAndOneItemsAre400AndNothingRuns() throws {
        let t = try TaskTestApp(mode: .immediate)
        let before = t.vmCount()
        let items = (0..<501).map { Self.createItem("over-\($0)") }
        let r = t.send("POST", Self.submit, Self.body("CREATE", uri: TaskTestApp.vms, items: items))
        #expect(r.status == 400)
        #expect(r.text.contains("1 to 500"))
        #expect(t.vmCount() == before)
        #expect(t.send("GET", Self.batches).json["metadata"]?["totalAvailableResults"] == .int(0))
    }

    @Test func inManualModeTheBatchWaitsForItsSubTasks() throws {
        let t = try TaskTestApp(mode: .manual)
        let items = [Self.createItem("m1"), Self.createItem("m2")]
        var task = Self.run(t, Self.body("CREATE", uri: TaskTestApp.vms, items: items))
        let id = task["extId"]?.stringValue ?? ""
        #expect(task["status"] == .string("RUNNING"))
        #expect(Self.jobs(t, task).map { $0["status"]?.stringValue ?? "" } == ["PENDING", "PENDING"])
        #expect(Self.batch(t, task)["executionStatus"] == .string("IN_PROGRESS"))
        try t.scheduler.advance(toCompletion: true)
        task = t.task(id)
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(Self.summary(task) == [2, 2, 0])
        let job = try #require(Self.jobs(t, task).first)
        #expect(job["entitiesAffected"]?.arrayValue?.first?["rel"] == .string("vmm:ahv:config:vm"))
        let single = t.send("GET", TaskTestApp.taskPath(id) + "/jobs/" + (job["extId"]?.stringValue ?? ""))
        #expect(single.data["extId"] == job["extId"])
        #expect(t.send("GET", TaskTestApp.taskPath(id) + "/jobs/00000000-0000-0000-0000-000000000000").status == 404)
        let list = t.send("GET", Self.batches + "?%24filter=name+eq+%27test-batch%27")
        #expect(list.data.arrayValue?.first?["completionStatus"] == .string("SUCCEEDED"))
    }
}

extension BatchExecutorTests {
    /// Items run through auth, idempotency and preconditions but not the rate limit, which counts
    /// the batch request itself.
    @Test func itemsDoNotSpendTheRateLimit() throws {
        let t = try TaskTestApp(mode: .immediate)
        let limit = #"{"rateLimit":{"requestsPerSecond":1,"burst":3}}"#
        #expect(t.send("PUT", "/_pcmock/config", limit).status == 200)
        let items = (0..<10).map { Self.createItem("limited-\($0)") }
        let task = Self.run(t, Self.body("CREATE", uri: TaskTestApp.vms, items: items))
        #expect(Self.summary(task) == [10, 10, 0])
    }

    @Test func itemsNeedTheBatchCredentials() throws {
        let t = try TaskTestApp(mode: .immediate)
        let body = Self.body("CREATE", uri: TaskTestApp.vms, items: [Self.createItem("anonymous")])
        #expect(t.send("POST", Self.submit, body, headers: [("Authorization", "Basic d3Jvbmc6d3Jvbmc=")]).status == 401)
    }
}

extension BatchExecutorTests {
    @Test func aCanceledBatchLeavesItsBatchCancelled() throws {
        let t = try TaskTestApp(mode: .manual)
        let task = Self.run(t, Self.body("CREATE", uri: TaskTestApp.vms, items: [Self.createItem("c1")]))
        let id = task["extId"]?.stringValue ?? ""
        #expect(t.send("POST", TaskServiceTests.cancelPath(id)).status == 202)
        #expect(Self.batch(t, task)["executionStatus"] == .string("IN_PROGRESS"))
        try t.scheduler.advance(toCompletion: false)
        #expect(t.status(id) == "CANCELED")
        let batch = Self.batch(t, task)
        #expect(batch["completionStatus"] == .string("CANCELLED"))
        #expect(batch["executionStatus"] == .string("COMPLETED"))
    }
}
