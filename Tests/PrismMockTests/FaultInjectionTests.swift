import FoundationEssentials
import HTTPServer
import OData
import PrismAPI
import Testing

@testable import PrismMock

struct FaultInjectionTests {
    static let vmsPattern = "/api/vmm/*/ahv/config/vms"

    @Test func failTaskAnswers202ThenFailsTheTaskAndChangesNothing() throws {
        let t = try TaskTestApp(mode: .immediate)
        let rule = t.send(
            "POST", "/_pcmock/faults",
            #"{"method":"POST","pathPattern":"\#(Self.vmsPattern)","failTask":true,"times":1,"message":"disk full"}"#)
        #expect(rule.status == 201, "\(rule.text)")
        let before = t.vmCount()
        let failed = t.createVm("doomed")
        let task = t.task(failed)
        #expect(task["status"] == .string("FAILED"))
        let message = try #require(task["errorMessages"]?.arrayValue?.first)
        #expect(message["message"] == .string("disk full"))
        #expect(message["errorGroup"] == .string("INJECTED_TASK_FAILURE"))
        #expect(t.vmCount() == before)
        // `times: 1` is used up: the next create runs normally.
        #expect(t.status(t.createVm("fine")) == "SUCCEEDED")
        #expect(t.send("GET", "/_pcmock/faults").data == .array([]))
    }

    @Test func failTaskInManualModeFailsWhenTheTaskFinishes() throws {
        let t = try TaskTestApp(mode: .manual)
        t.send("POST", "/_pcmock/faults", #"{"pathPattern":"\#(Self.vmsPattern)/*","failTask":true}"#)
        let path = TaskTestApp.vms + "/" + TaskTestApp.fixtureVm
        let id = t.send("DELETE", path, headers: [("If-Match", t.etag(path))]).data["extId"]?.stringValue ?? ""
        #expect(t.status(id) == "QUEUED")
        try t.scheduler.advance(toCompletion: true)
        #expect(t.status(id) == "FAILED")
        #expect(t.send("GET", path).status == 200)
    }

    @Test func statusRulesAnswerWithRetryAfterForTheirTimes() throws {
        let t = try TaskTestApp(mode: .immediate)
        let body = #"{"method":"GET","pathPattern":"\#(Self.vmsPattern)","status":503,"retryAfterSeconds":2,"times":2}"#
        let id = t.send("POST", "/_pcmock/faults", body).json["id"]?.stringValue
        #expect(id != nil)
        for _ in 0..<2 {
            let r = t.send("GET", TaskTestApp.vms)
            #expect(r.status == 503)
            #expect(r.headers["Retry-After"] == "2")
            #expect(r.data["error"]?.arrayValue?.first?["errorGroup"] == .string("INJECTED_FAULT"))
            #expect(r.json["$objectType"] == .string("vmm.v4.error.ErrorResponse"))
        }
        #expect(t.send("GET", TaskTestApp.vms).status == 200)
        #expect(t.send("GET", "/_pcmock/health").status == 200)
    }

    @Test func rulesAreListedAndDeleted() throws {
        let t = try TaskTestApp(mode: .immediate)
        let a = t.send("POST", "/_pcmock/faults", #"{"pathPattern":"/api/vmm/*/ahv/config/vms","status":500}"#)
        t.send("POST", "/_pcmock/faults", #"{"pathPattern":"/api/prism/*/config/tasks","status":429}"#)
        #expect(t.send("GET", "/_pcmock/faults").data.arrayValue?.count == 2)
        let id = a.json["id"]?.stringValue ?? ""
        #expect(t.send("DELETE", "/_pcmock/faults/" + id).status == 204)
        #expect(t.send("DELETE", "/_pcmock/faults/" + id).status == 404)
        #expect(t.send("GET", TaskTestApp.vms).status == 200)
        #expect(t.send("DELETE", "/_pcmock/faults").status == 204)
        #expect(t.send("GET", "/api/prism/v4.4/config/tasks").status == 200)
    }

    @Test func latencyDelaysTheAnswerWithoutChangingIt() throws {
        let t = try TaskTestApp(mode: .immediate)
        t.send("POST", "/_pcmock/faults", #"{"method":"GET","pathPattern":"\#(Self.vmsPattern)","latencyMs":750}"#)
        let response = t.app.handle(
            HTTPRequest(
                method: "GET", target: TaskTestApp.vms,
                headers: HTTPHeaders([("Authorization", "Basic YWRtaW46TnV0YW5peC80dQ==")])),
            ConnectionInfo(remoteAddress: "127.0.0.1", remotePort: 1, localPort: 9440))
        #expect(response.status == 200)
        #expect(response.delay == .milliseconds(750))
    }

    @Test(arguments: [
        #"{"status":503}"#, #"{"pathPattern":"no-slash"}"#, #"{"pathPattern":"/x","status":200}"#,
        #"{"pathPattern":"/x","probability":1.5}"#, #"{"pathPattern":"/x","status":503,"failTask":true}"#,
        #"{"pathPattern":"/x","bogus":1}"#, #"{"pathPattern":"/x","times":0}"#, "[]",
    ])
    func badRulesAre400(body: String) throws {
        let t = try TaskTestApp(mode: .immediate)
        #expect(t.send("POST", "/_pcmock/faults", body).status == 400)
        #expect(t.send("GET", "/_pcmock/faults").data == .array([]))
    }

    @Test func starMatchesExactlyOneSegment() throws {
        let rule = try FaultRule(json: JSON.parse(#"{"pathPattern":"/api/vmm/*/ahv/config/vms"}"#), id: "r")
        #expect(rule.matches(method: "GET", path: "/api/vmm/v4.3/ahv/config/vms"))
        #expect(rule.matches(method: "POST", path: "/api/vmm/v4.0/ahv/config/vms"))
        #expect(!rule.matches(method: "GET", path: "/api/vmm/v4.3/ahv/config/vms/1"))
        #expect(!rule.matches(method: "GET", path: "/api/vmm/ahv/config/vms"))
        #expect(!rule.matches(method: "GET", path: "/api/vmm/v4/3/ahv/config/vms"))
    }

    @Test func probabilityIsSeededAndRoughlyHonoured() throws {
        func hits(seed: UInt64) throws -> [Bool] {
            let rules = FaultRules(seed: seed)
            _ = try rules.add { id throws(FaultRuleError) in
                try FaultRule(
                    json: .object(JSONObject([("pathPattern", .string("/x")), ("probability", .double(0.3))])), id: id)
            }
            return (0..<1_000).map { _ in rules.match(method: "GET", path: "/x") != nil }
        }
        let first = try hits(seed: 42)
        #expect(try hits(seed: 42) == first)
        #expect(try hits(seed: 43) != first)
        #expect((230...370).contains(first.count { $0 }))
    }
}
