import EntityStore
import PrismAPI
import Testing

@testable import PrismMock

struct SelfCheckTests {
    static let brokenId = "5e1fc0de-0000-4000-8000-000000000001"

    /// A VM stored with an enum value the SDK does not know: what a bug in a service could write.
    func appWithABrokenVm(selfCheck: Bool) throws -> PrismMockApp {
        let app = try TestApp.make { $0.selfCheck = selfCheck }
        let document =
            #"{"extId":"\#(Self.brokenId)","name":"broken","powerState":"SIDEWAYS","#
            + #""$objectType":"vmm.v4.ahv.config.Vm"}"#
        try app.store.write { tx in
            _ = try tx.insert(
                NewEntity(
                    namespace: "vmm", kind: "vmm:ahv/config/vms", extId: Self.brokenId,
                    document: document))
        }
        return app
    }

    @Test func aMismatchBecomesA500NamingTheProblem() throws {
        let reply = try appWithABrokenVm(selfCheck: true).call("GET", "/api/vmm/v4.3/ahv/config/vms/\(Self.brokenId)")
        #expect(reply.status == 500)
        let message = try #require(reply.json["data"]?["error"]?.arrayValue?.first)
        #expect(message["errorGroup"]?.stringValue == "SELF_CHECK_FAILED")
        #expect(message["argumentsMap"]?["attributePath"]?.stringValue == "data.powerState")
        #expect(message["message"]?.stringValue?.contains("'SIDEWAYS' is not a member") == true)
        #expect(reply.json["$objectType"]?.stringValue == "vmm.v4.ahv.config.GetVmApiResponse")
    }

    @Test func withoutTheSwitchTheSameAnswerGoesOut() throws {
        let reply = try appWithABrokenVm(selfCheck: false).call("GET", "/api/vmm/v4.3/ahv/config/vms/\(Self.brokenId)")
        #expect(reply.status == 200)
        #expect(reply.json["data"]?["powerState"]?.stringValue == "SIDEWAYS")
    }

    @Test(arguments: [
        ("GET", "/api/vmm/v4.3/ahv/config/vms?$limit=3", 200),
        ("GET", "/api/clustermgmt/v4.3/config/clusters", 200),
        ("GET", "/api/vmm/v4.3/ahv/config/vms/00000000-0000-4000-8000-000000000404", 404),
        ("POST", "/api/vmm/v4.3/ahv/config/vms", 400),
    ])
    func conformingAnswersAndErrorsPassUnchanged(method: String, target: String, status: Int) throws {
        let app = try TestApp.make { $0.selfCheck = true }
        let reply = app.call(method, target, body: method == "POST" ? #"{"name":7}"# : nil)
        #expect(reply.status == status, "\(reply.text)")
    }

    @Test func headAndNotModifiedAreNotDecoded() throws {
        let catalog = TestApp.catalog
        let op = try #require(catalog.operation(namespace: "vmm", operationId: "getVmById"))
        let check = SelfCheck(catalog: catalog)
        #expect(check.check(.init(status: 200), method: "HEAD", operation: op).status == 200)
        #expect(check.check(.init(status: 304), method: "GET", operation: op).status == 304)
        #expect(check.check(.init(status: 200), method: "GET", operation: op).status == 500)
    }
}
