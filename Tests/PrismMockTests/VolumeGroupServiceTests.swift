import Foundation
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// Volume groups: `$expand=cluster`, and VM attachments through `attach-vm` / `detach-vm`.
struct VolumeGroupServiceTests {
    let groups = "/api/volumes/v4.3/config/volume-groups"

    static let fixtureGroups = FixtureData.items("volumes.config.volume-groups.json")
    static let attachments = FixtureData.items("volumes.config.volume-groups.vm-attachments.json")

    func attached(_ app: PrismMockApp, _ group: String) -> Set<String> {
        let list = app.call("GET", "\(groups)/\(group)/vm-attachments").json["data"]?.arrayValue ?? []
        return Set(list.compactMap { $0["extId"]?.stringValue })
    }

    func act(_ app: PrismMockApp, _ group: String, _ verb: String, vm: String) throws -> JSON {
        let etag = try #require(app.call("GET", "\(groups)/\(group)").header("ETag"))
        let r = app.call(
            "POST", "\(groups)/\(group)/$actions/\(verb)", body: #"{"extId":"\#(vm)","index":3}"#,
            headers: [("If-Match", etag)])
        #expect(r.status == 202)
        let id = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        return app.call("GET", "/api/prism/v4.4/config/tasks/\(id)").json["data"] ?? .null
    }

    @Test func expandClusterInlinesTheClusterInListsAndGets() throws {
        let app = try TestApp.make()
        let clusters = FixtureData.items("clustermgmt.config.clusters.json")
        let list = try #require(app.call("GET", "\(groups)?%24expand=cluster").json["data"]?.arrayValue)
        #expect(list.count == Self.fixtureGroups.count)
        for group in list {
            let ref = try #require(group["clusterReference"]?.stringValue)
            let cluster = try #require(group["cluster"])
            #expect(cluster["extId"] == .string(ref))
            #expect(cluster["$objectType"] == .string("clustermgmt.v4.config.Cluster"))
            #expect(cluster["name"] == clusters.first { $0["extId"] == .string(ref) }?["name"])
        }
        let id = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        #expect(
            app.call("GET", "\(groups)/\(id)?%24expand=cluster").json.value(atPath: "data/cluster/extId")
                == Self.fixtureGroups.first?["clusterReference"])
        #expect(app.call("GET", "\(groups)/\(id)").json.value(atPath: "data/cluster") == nil)
        #expect(app.call("GET", groups).json["data"]?.arrayValue?.allSatisfy { $0["cluster"] == nil } == true)
    }

    @Test func attachThenDetachAVm() throws {
        let app = try TestApp.make()
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        let before = attached(app, group)
        let vm = try #require(
            FixtureData.items("vmm.ahv.config.vms.json").compactMap { $0["extId"]?.stringValue }
                .first { !before.contains($0) })
        let task = try act(app, group, "attach-vm", vm: vm)
        #expect(task["status"] == .string("SUCCEEDED"))
        let rels = Set((task["entitiesAffected"]?.arrayValue ?? []).compactMap { $0["rel"]?.stringValue })
        #expect(rels == ["volumes:config:volume-group", "vmm:ahv:config:vm"])
        #expect(attached(app, group) == before.union([vm]))
        let row = app.call("GET", "\(groups)/\(group)/vm-attachments?%24filter=extId%20eq%20%27\(vm)%27").json["data"]?
            .arrayValue?.first
        #expect(row?["index"] == .int(3))
        #expect(row?["$objectType"] == .string("volumes.v4.config.VmAttachment"))

        let again = try act(app, group, "attach-vm", vm: vm)
        #expect(again["status"] == .string("FAILED"))
        #expect(again["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("VM_ALREADY_ATTACHED"))

        #expect(try act(app, group, "detach-vm", vm: vm)["status"] == .string("SUCCEEDED"))
        #expect(attached(app, group) == before)
        let twice = try act(app, group, "detach-vm", vm: vm)
        #expect(twice["status"] == .string("FAILED"))
        #expect(twice["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("VM_NOT_ATTACHED"))
        #expect(attached(app, group) == before)
    }

    @Test func aFixtureAttachmentCanBeDetachedAndOneVmCanJoinTwoGroups() throws {
        let app = try TestApp.make()
        let first = try #require(Self.attachments.first)
        let group = try #require(first["$pcmock"]?["parentExtId"]?.stringValue)
        let vm = try #require(first["extId"]?.stringValue)
        let other = try #require(Self.fixtureGroups.compactMap { $0["extId"]?.stringValue }.first { $0 != group })
        #expect(try act(app, other, "attach-vm", vm: vm)["status"] == .string("SUCCEEDED"))
        #expect(attached(app, other).contains(vm))
        #expect(attached(app, group).contains(vm))
        #expect(try act(app, group, "detach-vm", vm: vm)["status"] == .string("SUCCEEDED"))
        #expect(!attached(app, group).contains(vm))
        #expect(attached(app, other).contains(vm))
    }

    @Test func attachingAVmThatDoesNotExistFailsTheTask() throws {
        let app = try TestApp.make()
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        let before = attached(app, group)
        let task = try act(app, group, "attach-vm", vm: "00000000-0000-4000-8000-0000000000ab")
        #expect(task["status"] == .string("FAILED"))
        let error = try #require(task["errorMessages"]?.arrayValue?.first)
        #expect(error["errorGroup"] == .string("VM_NOT_FOUND"))
        #expect(error["code"]?.stringValue?.hasPrefix("VOLUMES-") == true)
        #expect(attached(app, group) == before)
    }

    @Test func attachOnAMissingGroupOrWithAStaleETagIsRefusedAtOnce() throws {
        let app = try TestApp.make()
        let vm = try #require(FixtureData.items("vmm.ahv.config.vms.json").first?["extId"]?.stringValue)
        let missing = app.call(
            "POST", "\(groups)/00000000-0000-4000-8000-0000000000ac/$actions/attach-vm", body: #"{"extId":"\#(vm)"}"#,
            headers: [("If-Match", #""x""#)])
        #expect(missing.status == 404)
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        let stale = app.call(
            "POST", "\(groups)/\(group)/$actions/attach-vm", body: #"{"extId":"\#(vm)"}"#,
            headers: [("If-Match", #""x""#)])
        #expect(stale.status == 412)
        let noBody = app.call(
            "POST", "\(groups)/\(group)/$actions/attach-vm", body: #"{"index":1}"#,
            headers: [("If-Match", app.call("GET", "\(groups)/\(group)").header("ETag") ?? "")])
        #expect(noBody.status == 400)
    }

    @Test func deletingAGroupDeletesItsAttachments() throws {
        let app = try TestApp.make()
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        #expect(!attached(app, group).isEmpty)
        let etag = try #require(app.call("GET", "\(groups)/\(group)").header("ETag"))
        #expect(app.call("DELETE", "\(groups)/\(group)", headers: [("If-Match", etag)]).status == 202)
        #expect(app.call("GET", "\(groups)/\(group)/vm-attachments").status == 404)
    }
}
