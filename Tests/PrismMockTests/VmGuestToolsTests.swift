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
        // Like any change to a VM, guest tools changes need If-Match.
        let bare = app.call("POST", "\(path)/$actions/install", body: "{}")
        #expect(bare.status == 428)
        #expect(app.call("PUT", path, body: #"{"isEnabled":true}"#).status == 428)
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

/// `revert` puts a VM back to the copy its recovery point took.
struct VmRevertTests {
    let vms = VmFixture.vms
    let points = "/api/vmm/v4.3/ahv/config/vm-recovery-points"

    func recoveryPoint(_ app: PrismMockApp, of vm: String, name: String) throws -> String {
        let task = app.vmTask("POST", points, body: #"{"name":"\#(name)","vmExtId":"\#(vm)"}"#)
        #expect(task["status"] == .string("SUCCEEDED"))
        let listed = app.call("GET", points).json["data"]?.arrayValue ?? []
        return try #require(listed.first { $0["name"] == .string(name) }?["extId"]?.stringValue)
    }

    func revert(_ app: PrismMockApp, _ vm: String, to point: String, extra: String = "") -> JSON {
        app.vmTask(
            "POST", "\(vms)/\(vm)/$actions/revert", body: #"{"vmRecoveryPointExtId":"\#(point)"\#(extra)}"#,
            etagOf: "\(vms)/\(vm)")
    }

    @Test func revertRestoresTheConfigurationTheRecoveryPointCopied() throws {
        let app = try TestApp.make()
        let id = VmFixture.fullId
        let original = app.vm(id)
        let point = try recoveryPoint(app, of: id, name: "before-changes")
        #expect(app.call("GET", "\(points)/\(point)").json.value(atPath: "data/vm/name") == original["name"])

        var changed = try #require(original.objectValue)
        changed["name"] = .string("renamed")
        changed["memorySizeBytes"] = .int(1 << 33)
        let put = app.vmTask("PUT", "\(vms)/\(id)", body: JSON.object(changed).text, etagOf: "\(vms)/\(id)")
        #expect(put["status"] == .string("SUCCEEDED"))
        let nic = try #require(VmFixture.extIds(original["nics"]).first)
        #expect(app.vmTask("DELETE", "\(vms)/\(id)/nics/\(nic)", etagOf: "\(vms)/\(id)")["status"] == .string("SUCCEEDED"))
        let category = VmFixture.categories.first { c in !VmFixture.extIds(original["categories"]).contains(c) } ?? ""
        let associate = app.vmTask(
            "POST", "\(vms)/\(id)/$actions/associate-categories", body: #"{"categories":[{"extId":"\#(category)"}]}"#,
            etagOf: "\(vms)/\(id)")
        #expect(associate["status"] == .string("SUCCEEDED"))

        let task = revert(app, id, to: point)
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(task.affected("vmm:ahv:config:vm-recovery-point") == [point])
        let after = app.vm(id)
        #expect(after["name"] == original["name"])
        #expect(after["memorySizeBytes"] == original["memorySizeBytes"])
        #expect(VmFixture.extIds(after["nics"]) == VmFixture.extIds(original["nics"]))
        // Categories stay unless the override asks for them.
        #expect(VmFixture.extIds(after["categories"]).contains(category))
        #expect(revert(app, id, to: point, extra: #","overrideSpec":{"shouldRevertVmCategories":true}"#)["status"]
            == .string("SUCCEEDED"))
        #expect(VmFixture.extIds(app.vm(id)["categories"]) == VmFixture.extIds(original["categories"]))
    }

    @Test func revertNeedsAnExistingRecoveryPointOfThatVm() throws {
        let app = try TestApp.make()
        let id = VmFixture.fullId
        let other = try #require(VmFixture.items.compactMap { $0["extId"]?.stringValue }.first { $0 != id })
        let otherPoint = try recoveryPoint(app, of: other, name: "other")
        let before = app.vm(id)
        let missing = revert(app, id, to: VmFixture.missing)
        #expect(missing["status"] == .string("FAILED"))
        #expect(missing["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("RECOVERY_POINT_NOT_FOUND"))
        let wrong = revert(app, id, to: otherPoint)
        #expect(wrong["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("RECOVERY_POINT_OF_ANOTHER_VM"))
        #expect(app.vm(id) == before)
        // A recovery point of a VM that does not exist is not created.
        let orphan = app.vmTask("POST", points, body: #"{"name":"orphan","vmExtId":"\#(VmFixture.missing)"}"#)
        #expect(orphan["status"] == .string("FAILED"))
        #expect(app.call("GET", points).json["data"]?.arrayValue?.contains { $0["name"] == .string("orphan") } != true)
    }
}
