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
        // Errors a service raises answer in the operation's own envelope, not a bare ErrorResponse.
        let envelope = try #require(
            TestApp.catalog.operation(namespace: "volumes", operationId: "attachVm")?.responseModel)
        #expect(missing.json["$objectType"] == .string(envelope))
        #expect(stale.json["$objectType"] == .string(envelope))
        #expect(stale.json.value(atPath: "data/$objectType") == .string("volumes.v4.error.ErrorResponse"))
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

    // MARK: Categories

    func categoryTask(_ app: PrismMockApp, _ group: String, _ verb: String, _ ids: [String]) throws -> JSON {
        let etag = try #require(app.call("GET", "\(groups)/\(group)").header("ETag"))
        let refs = ids.map { #"{"extId":"\#($0)","entityType":"CATEGORY"}"# }.joined(separator: ",")
        let r = app.call(
            "POST", "\(groups)/\(group)/$actions/\(verb)", body: #"{"categories":[\#(refs)]}"#,
            headers: [("If-Match", etag)])
        #expect(r.status == 202)
        let id = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        return app.call("GET", "/api/prism/v4.4/config/tasks/\(id)").json["data"] ?? .null
    }

    func categoriesOf(_ app: PrismMockApp, _ group: String) -> [String] {
        let list = app.call("GET", "\(groups)/\(group)/category-associations").json["data"]?.arrayValue ?? []
        return list.compactMap { $0["extId"]?.stringValue }
    }

    func volumeGroupAssociations(_ app: PrismMockApp, category: String) -> Set<String> {
        let details =
            app.call("GET", "/api/prism/v4.4/config/categories/\(category)?%24expand=detailedAssociations")
            .json.value(atPath: "data/detailedAssociations")?.arrayValue ?? []
        return Set(
            details.filter { $0["resourceType"] == .string("VOLUMEGROUP") }.compactMap { $0["resourceId"]?.stringValue })
    }

    static let categoryIds = FixtureData.items("prism.config.categories.json").compactMap { $0["extId"]?.stringValue }

    @Test func associateAndDisassociateCategoriesChangeTheGroup() throws {
        let app = try TestApp.make()
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        let (a, b) = (Self.categoryIds[0], Self.categoryIds[1])
        #expect(categoriesOf(app, group).isEmpty)
        let etagBefore = app.call("GET", "\(groups)/\(group)").header("ETag")
        #expect(try categoryTask(app, group, "associate-category", [a, b])["status"] == .string("SUCCEEDED"))
        #expect(categoriesOf(app, group) == [a, b])
        #expect(app.call("GET", "\(groups)/\(group)").header("ETag") != etagBefore)
        // Repeating it changes nothing.
        #expect(try categoryTask(app, group, "associate-category", [a])["status"] == .string("SUCCEEDED"))
        #expect(categoriesOf(app, group) == [a, b])
        let item = app.call("GET", "\(groups)/\(group)/category-associations").json["data"]?.arrayValue?.first
        #expect(item?["$objectType"] == .string("volumes.v4.config.CategoryDetails"))
        #expect(item?["entityType"] == .string("CATEGORY"))
        // The VolumeGroup model has no categories member: reads leave it out.
        #expect(app.call("GET", "\(groups)/\(group)").json.value(atPath: "data/categories") == nil)
        #expect(app.call("GET", groups).json["data"]?.arrayValue?.allSatisfy { $0["categories"] == nil } == true)
        // Paged like any list.
        let page = app.call("GET", "\(groups)/\(group)/category-associations?%24limit=1&%24page=1")
        #expect(page.json["data"]?.arrayValue?.compactMap { $0["extId"]?.stringValue } == [b])
        #expect(page.json.value(atPath: "metadata/totalAvailableResults") == .int(2))

        #expect(volumeGroupAssociations(app, category: a) == [group])
        let summary = app.call("GET", "/api/prism/v4.4/config/categories/\(a)?%24expand=associations")
            .json.value(atPath: "data/associations")?.arrayValue?.first { $0["resourceType"] == .string("VOLUMEGROUP") }
        #expect(summary?["count"] == .int(1))

        #expect(try categoryTask(app, group, "disassociate-category", [a])["status"] == .string("SUCCEEDED"))
        #expect(categoriesOf(app, group) == [b])
        #expect(volumeGroupAssociations(app, category: a).isEmpty)
        // Removing one that is not there is harmless too.
        #expect(try categoryTask(app, group, "disassociate-category", [a])["status"] == .string("SUCCEEDED"))
        #expect(categoriesOf(app, group) == [b])
    }

    @Test func anUnknownCategoryFailsTheTaskAndChangesNothing() throws {
        let app = try TestApp.make()
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        let unknown = "00000000-0000-4000-8000-0000000000cd"
        let task = try categoryTask(app, group, "associate-category", [Self.categoryIds[0], unknown])
        #expect(task["status"] == .string("FAILED"))
        let error = try #require(task["errorMessages"]?.arrayValue?.first)
        #expect(error["errorGroup"] == .string("CATEGORY_NOT_FOUND"))
        #expect(error["code"]?.stringValue?.hasPrefix("VOLUMES-") == true)
        #expect(categoriesOf(app, group).isEmpty)
        let malformed = app.call(
            "POST", "\(groups)/\(group)/$actions/associate-category", body: #"{"categories":[{"name":"x"}]}"#,
            headers: [("If-Match", app.call("GET", "\(groups)/\(group)").header("ETag") ?? "")])
        #expect(malformed.status == 400)
        #expect(categoriesOf(app, group).isEmpty)
    }

    @Test func aPutKeepsTheCategoriesAndAMissingGroupIs404() throws {
        let app = try TestApp.make()
        let group = try #require(Self.fixtureGroups.first?["extId"]?.stringValue)
        let a = Self.categoryIds[0]
        #expect(try categoryTask(app, group, "associate-category", [a])["status"] == .string("SUCCEEDED"))
        let current = app.call("GET", "\(groups)/\(group)")
        var doc = try #require(current.json["data"]?.objectValue)
        doc["description"] = .string("renamed")
        let put = app.call(
            "PUT", "\(groups)/\(group)", body: JSON.object(doc).text,
            headers: [("If-Match", current.header("ETag") ?? "")])
        #expect(put.status == 202)
        #expect(app.call("GET", "\(groups)/\(group)").json.value(atPath: "data/description") == .string("renamed"))
        #expect(categoriesOf(app, group) == [a])
        let missing = "00000000-0000-4000-8000-0000000000ce"
        #expect(app.call("GET", "\(groups)/\(missing)/category-associations").status == 404)
        #expect(
            app.call(
                "POST", "\(groups)/\(missing)/$actions/associate-category", body: #"{"categories":[]}"#,
                headers: [("If-Match", #""x""#)]
            ).status == 404)
    }
}

/// The byte scan that decides whether a volume group body needs its private member removed.
struct VolumeGroupCategoriesScanTests {
    @Test(arguments: [
        (#"{"categories":[]}"#, true), (#""categories""#, true), (#"{"a":"g","b":{"categories":1}}"#, true),
        (#"{"categorie":1}"#, false), (#"{"categoriesX":1}"#, false), (#"categories"#, false), ("", false),
        (#"{"storageFeatures":{"flashMode":"g"},"targetName":"gg"}"#, false), (#"g"categories"#, false),
    ])
    func findsTheQuotedMemberName(body: String, expected: Bool) {
        #expect(VolumeGroupCategories.mayHold(Array(body.utf8)) == expected)
    }
}
