import Foundation
import OData
import PrismAPI
import Testing
@testable import PrismMock

/// Power actions move `powerState` when their task succeeds; an action the state does not
/// allow fails its task with a VMM error and changes nothing.
struct VmPowerStateTests {
    let vms = "/api/vmm/v4.3/ahv/config/vms"

    func vm(_ app: PrismMockApp, state: String) throws -> String {
        let items = FixtureData.items("vmm.ahv.config.vms.json")
        return try #require(items.first { $0["powerState"] == .string(state) }?["extId"]?.stringValue)
    }

    /// Runs the action (If-Match from a fresh GET) and returns the finished task.
    func act(_ app: PrismMockApp, _ id: String, _ verb: String, body: String? = nil) throws -> JSON {
        let etag = try #require(app.call("GET", "\(vms)/\(id)").header("ETag"))
        let r = app.call("POST", "\(vms)/\(id)/$actions/\(verb)", body: body, headers: [("If-Match", etag)])
        #expect(r.status == 202)
        let taskId = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        return app.call("GET", "/api/prism/v4.4/config/tasks/\(taskId)").json["data"] ?? .null
    }

    func state(_ app: PrismMockApp, _ id: String) -> JSON? {
        app.call("GET", "\(vms)/\(id)").json.value(atPath: "data/powerState")
    }

    @Test func powerOffThenOnMovesTheState() throws {
        let app = try TestApp.make()
        let id = try vm(app, state: "ON")
        #expect(try act(app, id, "power-off")["status"] == .string("SUCCEEDED"))
        #expect(state(app, id) == .string("OFF"))
        #expect(try act(app, id, "power-on")["status"] == .string("SUCCEEDED"))
        #expect(state(app, id) == .string("ON"))
        #expect(try act(app, id, "guest-reboot")["status"] == .string("SUCCEEDED"))
        #expect(state(app, id) == .string("ON"))
    }

    @Test(arguments: [("OFF", "power-off"), ("OFF", "shutdown"), ("OFF", "reboot"), ("OFF", "reset"),
                      ("OFF", "power-cycle"), ("ON", "power-on")])
    func refusedTransitionsFailTheTaskAndChangeNothing(start: String, verb: String) throws {
        let app = try TestApp.make()
        let id = try vm(app, state: start)
        let before = app.call("GET", "\(vms)/\(id)").header("ETag")
        let task = try act(app, id, verb)
        #expect(task["status"] == .string("FAILED"))
        let error = try #require(task["errorMessages"]?.arrayValue?.first)
        #expect(error["errorGroup"] == .string("INVALID_POWER_STATE_TRANSITION"))
        #expect(error["code"]?.stringValue?.hasPrefix("VMM-") == true)
        #expect(state(app, id) == .string(start))
        #expect(app.call("GET", "\(vms)/\(id)").header("ETag") == before)
    }

    @Test func otherActionsLeaveThePowerStateAlone() throws {
        let app = try TestApp.make()
        let id = try vm(app, state: "OFF")
        let category = try #require(FixtureData.items("prism.config.categories.json").last?["extId"]?.stringValue)
        let task = try act(app, id, "associate-categories", body: #"{"categories":[{"extId":"\#(category)"}]}"#)
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(state(app, id) == .string("OFF"))
    }
}
