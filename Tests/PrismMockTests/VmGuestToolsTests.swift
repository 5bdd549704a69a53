import OData
import Testing

@testable import PrismMock

/// Guest tools live in the VM document: each operation's task changes what both
/// `/vms/{extId}/guest-tools` and the VM GET show, or fails and changes nothing.
struct VmGuestToolsTests {
    let vms = VmFixture.vms

    /// A fixture VM without guest tools.
    var bareId: String {
        VmFixture.items.first { $0["guestTools"] == nil }?["extId"]?.stringValue ?? ""
    }

    func tools(_ app: PrismMockApp, _ id: String) -> JSON {
        app.call("GET", "\(vms)/\(id)/guest-tools").json["data"] ?? .null
    }

    func act(_ app: PrismMockApp, _ id: String, _ verb: String, body: String? = "{}") -> JSON {
        app.vmTask("POST", "\(vms)/\(id)/guest-tools/$actions/\(verb)", body: body, etagOf: "\(vms)/\(id)")
    }

    @Test func installUpgradeUpdateAndUninstallChangeTheVm() throws {
        let app = try TestApp.make()
        let id = bareId
        #expect(!id.isEmpty)
        let before = tools(app, id)
        #expect(before["isInstalled"] == .bool(false))
        #expect(before["$objectType"] == .string("vmm.v4.ahv.config.GuestTools"))
        #expect(app.call("GET", "\(vms)/\(id)/guest-tools").header("ETag") == app.call("GET", "\(vms)/\(id)").header("ETag"))

        #expect(act(app, id, "upgrade")["status"] == .string("FAILED"))
        let insert = act(app, id, "insert-iso", body: #"{"capabilities":["VSS_SNAPSHOT"]}"#)
        #expect(insert["status"] == .string("SUCCEEDED"))
        #expect(tools(app, id)["isIsoInserted"] == .bool(true))

        let install = act(app, id, "install", body: #"{"capabilities":["SELF_SERVICE_RESTORE"]}"#)
        #expect(install["status"] == .string("SUCCEEDED"))
        let installed = tools(app, id)
        #expect(installed["isInstalled"] == .bool(true))
        #expect(installed["isEnabled"] == .bool(true))
        #expect(installed["isIsoInserted"] == .bool(false))
        #expect(installed["version"] == .string(VmGuestTools.availableVersion))
        #expect(installed["capabilities"] == .array([.string("SELF_SERVICE_RESTORE")]))
        #expect(app.vm(id).value(atPath: "guestTools/isInstalled") == .bool(true))

        let twice = act(app, id, "install")
        #expect(twice["status"] == .string("FAILED"))
        #expect(twice["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("GUEST_TOOLS_ALREADY_INSTALLED"))

        let path = "\(vms)/\(id)/guest-tools"
        let update = app.vmTask("PUT", path, body: #"{"isEnabled":false}"#, etagOf: path)
        #expect(update["status"] == .string("SUCCEEDED"))
        #expect(tools(app, id)["isEnabled"] == .bool(false))
        #expect(tools(app, id)["isInstalled"] == .bool(true))

        #expect(act(app, id, "upgrade")["status"] == .string("SUCCEEDED"))
        #expect(act(app, id, "uninstall", body: nil)["status"] == .string("SUCCEEDED"))
        let removed = tools(app, id)
        #expect(removed["isInstalled"] == .bool(false))
        #expect(removed["version"] == nil)
        let again = act(app, id, "uninstall", body: nil)
        #expect(again["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("GUEST_TOOLS_NOT_INSTALLED"))
    }

    @Test func aFailedTaskChangesNothingAndAStaleETagIs412() throws {
        let app = try TestApp.make()
        let id = bareId
        let before = app.vm(id)
        let path = "\(vms)/\(id)/guest-tools"
        #expect(app.vmTask("PUT", path, body: #"{"isEnabled":true}"#, etagOf: path)["status"] == .string("FAILED"))
        #expect(app.vm(id) == before)
        let stale = app.call(
            "POST", "\(path)/$actions/install", body: "{}", headers: [("If-Match", #"W/"stale""#)])
        #expect(stale.status == 412)
        #expect(app.call("GET", "\(vms)/\(VmFixture.missing)/guest-tools").status == 404)
        #expect(app.vm(id) == before)
    }

    @Test(arguments: ["generate-console-token", "transfer-files-to-guest"])
    func unmodelledGuestActionsAnswer501(verb: String) throws {
        let app = try TestApp.make()
        let id = VmFixture.fullId
        let before = app.vm(id)
        let body = verb == "transfer-files-to-guest" ? #"{"filePaths":["/tmp/x"]}"# : "{}"
        let r = app.call(
            "POST", "\(vms)/\(id)/$actions/\(verb)", body: body,
            headers: [("If-Match", app.call("GET", "\(vms)/\(id)").header("ETag") ?? "")])
        #expect(r.status == 501)
        #expect(r.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("NOT_IMPLEMENTED"))
        #expect(app.vm(id) == before)
    }
}
