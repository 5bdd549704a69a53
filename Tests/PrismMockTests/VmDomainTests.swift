import Foundation
import OData
import Testing

@testable import PrismMock

/// Clone, category association, reference checks and what a VM PUT leaves alone.
struct VmDomainTests {
    let vms = VmFixture.vms
    var vmId: String { VmFixture.fullId }

    // MARK: Clone

    @Test func cloneMakesANewVMWithNewDeviceIdsAndTheOverrides() throws {
        let app = try TestApp.make()
        let source = app.vm(vmId)
        let body = #"{"name":"vm-web-01-clone","numSockets":4,"memorySizeBytes":2147483648}"#
        let task = app.vmTask("POST", "\(vms)/\(vmId)/$actions/clone", body: body, etagOf: "\(vms)/\(vmId)")
        #expect(task["status"] == .string("SUCCEEDED"))
        let vmsAffected = task.affected("vmm:ahv:config:vm")
        #expect(vmsAffected.count == 2 && vmsAffected.contains(vmId))
        let cloneId = try #require(vmsAffected.first { $0 != vmId })
        let details = task["completionDetails"]?.arrayValue ?? []
        #expect(details.contains { $0["name"] == .string("vmExtId") && $0["value"] == .string(cloneId) })

        let clone = app.vm(cloneId)
        #expect(clone["name"] == .string("vm-web-01-clone"))
        #expect(clone["numSockets"] == .int(4))
        #expect(clone["memorySizeBytes"] == .int(2_147_483_648))
        #expect(clone["numCoresPerSocket"] == VmFixture.full["numCoresPerSocket"])
        #expect(clone["powerState"] == .string("OFF"))
        #expect(clone.value(atPath: "source/extId") == .string(vmId))
        #expect(clone.value(atPath: "cluster/extId") == VmFixture.full.value(atPath: "cluster/extId"))
        #expect(VmFixture.extIds(clone["categories"]) == VmFixture.extIds(VmFixture.full["categories"]))
        for field in ["disks", "nics", "cdRoms"] {
            let old = VmFixture.extIds(VmFixture.full[field])
            let new = VmFixture.extIds(clone[field])
            #expect(new.count == old.count, "\(field)")
            #expect(Set(new).isDisjoint(with: old), "\(field) keep the source's extIds")
            // The clone's devices are sub-resources of the clone.
            #expect(VmFixture.extIds(app.call("GET", "\(vms)/\(cloneId)/\(field == "cdRoms" ? "cd-roms" : field)").json["data"]) == new)
        }
        let oldMac = VmFixture.full["nics"]?.arrayValue?.first?.value(atPath: "backingInfo/macAddress")
        #expect(clone["nics"]?.arrayValue?.first?.value(atPath: "backingInfo/macAddress") != oldMac)
        // The source is as it was.
        #expect(app.vm(vmId)["name"] == source["name"])
        #expect(VmFixture.extIds(app.vm(vmId)["disks"]) == VmFixture.extIds(source["disks"]))
    }

    @Test func cloneOfAMissingVMIs404AndAStaleETagIs412() throws {
        let app = try TestApp.make()
        #expect(app.call("POST", "\(vms)/\(VmFixture.missing)/$actions/clone", body: "{}").status == 404)
        let stale = #""\#(vmId.prefix(8))-r999""#
        let r = app.call("POST", "\(vms)/\(vmId)/$actions/clone", body: "{}", headers: [("If-Match", stale)])
        #expect(r.status == 412)
        let total = app.call("GET", vms + "?%24limit=1").json.value(atPath: "metadata/totalAvailableResults")
        #expect(total == .int(Int64(VmFixture.items.count)))
    }

    // MARK: Categories

    @Test func associateAddsOnceAndDisassociateRemoves() throws {
        let app = try TestApp.make()
        let before = VmFixture.extIds(VmFixture.full["categories"])
        let extra = try #require(VmFixture.categories.first { !before.contains($0) })
        let body = #"{"categories":[{"extId":"\#(extra)"}]}"#
        let path = "\(vms)/\(vmId)/$actions/"
        #expect(app.vmTask("POST", path + "associate-categories", body: body, etagOf: "\(vms)/\(vmId)")["status"] == .string("SUCCEEDED"))
        #expect(VmFixture.extIds(app.vm(vmId)["categories"]) == before + [extra])
        // Again: still once.
        #expect(app.vmTask("POST", path + "associate-categories", body: body, etagOf: "\(vms)/\(vmId)")["status"] == .string("SUCCEEDED"))
        #expect(VmFixture.extIds(app.vm(vmId)["categories"]) == before + [extra])
        let first = #"{"categories":[{"extId":"\#(before[0])"},{"extId":"\#(extra)"}]}"#
        #expect(app.vmTask("POST", path + "disassociate-categories", body: first, etagOf: "\(vms)/\(vmId)")["status"] == .string("SUCCEEDED"))
        #expect(VmFixture.extIds(app.vm(vmId)["categories"]) == Array(before.dropFirst()))
        let stored = app.vm(vmId)["categories"]?.arrayValue?.first
        #expect(stored?["$objectType"] == .string("vmm.v4.ahv.config.CategoryReference"))
    }

    @Test func anUnknownCategoryFailsTheTaskAndChangesNothing() throws {
        let app = try TestApp.make()
        let known = try #require(VmFixture.categories.last)
        let before = app.vm(vmId)["categories"]
        let body = #"{"categories":[{"extId":"\#(known)"},{"extId":"\#(VmFixture.missing)"}]}"#
        let task = app.vmTask("POST", "\(vms)/\(vmId)/$actions/associate-categories", body: body, etagOf: "\(vms)/\(vmId)")
        #expect(task["status"] == .string("FAILED"))
        #expect(task.firstErrorGroup == "CATEGORY_NOT_FOUND")
        #expect(task["errorMessages"]?.arrayValue?.first?["message"]?.stringValue?.contains(VmFixture.missing) == true)
        #expect(app.vm(vmId)["categories"] == before)
    }

    @Test func aCategoryReferenceWithoutAnExtIdIs400() throws {
        let app = try TestApp.make()
        let tag = try #require(app.call("GET", "\(vms)/\(vmId)").header("ETag"))
        let r = app.call(
            "POST", "\(vms)/\(vmId)/$actions/associate-categories", body: #"{"categories":[{}]}"#,
            headers: [("If-Match", tag)])
        #expect(r.status == 400)
    }

    // MARK: Other VM actions

    @Test func assignOwnerAndMigrateToHostNeedWhatTheyName() throws {
        let app = try TestApp.make()
        let path = "\(vms)/\(vmId)"
        let user = try #require(VmFixture.ids("iam.authn.users.json").last)
        let owner = app.vmTask("POST", path + "/$actions/assign-owner", body: #"{"owner":{"extId":"\#(user)"}}"#, etagOf: path)
        #expect(owner["status"] == .string("SUCCEEDED"))
        #expect(app.vm(vmId).value(atPath: "ownershipInfo/owner/extId") == .string(user))
        let nobody = app.vmTask(
            "POST", path + "/$actions/assign-owner", body: #"{"owner":{"extId":"\#(VmFixture.missing)"}}"#, etagOf: path)
        #expect(nobody.firstErrorGroup == "USER_NOT_FOUND")
        #expect(app.vm(vmId).value(atPath: "ownershipInfo/owner/extId") == .string(user))

        let current = VmFixture.full.value(atPath: "host/extId")?.stringValue
        let host = try #require(VmFixture.ids("clustermgmt.config.hosts.json").first { $0 != current })
        let moved = app.vmTask("POST", path + "/$actions/migrate-to-host", body: #"{"host":{"extId":"\#(host)"}}"#, etagOf: path)
        #expect(moved["status"] == .string("SUCCEEDED"))
        #expect(app.vm(vmId).value(atPath: "host/extId") == .string(host))
        let nowhere = app.vmTask(
            "POST", path + "/$actions/migrate-to-host", body: #"{"host":{"extId":"\#(VmFixture.missing)"}}"#, etagOf: path)
        #expect(nowhere.firstErrorGroup == "HOST_NOT_FOUND")
        #expect(app.vm(vmId).value(atPath: "host/extId") == .string(host))
    }

    @Test func migrateDisksMovesThemToAnExistingContainer() throws {
        let app = try TestApp.make()
        let path = "\(vms)/\(vmId)"
        let current = VmFixture.full["disks"]?.arrayValue?.first?.value(atPath: "backingInfo/storageContainer/extId")
        let target = try #require(VmFixture.ids("clustermgmt.config.storage-containers.json").first { .string($0) != current })
        func body(_ container: String) -> String {
            #"{"migrateDisks":{"$objectType":"vmm.v4.ahv.config.AllDisksMigrationPlan","storageContainer":{"extId":"\#(container)"}}}"#
        }
        #expect(app.vmTask("POST", path + "/$actions/migrate-vm-disks", body: body(target), etagOf: path)["status"] == .string("SUCCEEDED"))
        let containers = (app.vm(vmId)["disks"]?.arrayValue ?? []).map { $0.value(atPath: "backingInfo/storageContainer/extId") }
        #expect(!containers.isEmpty && containers.allSatisfy { $0 == .string(target) })
        let failed = app.vmTask("POST", path + "/$actions/migrate-vm-disks", body: body(VmFixture.missing), etagOf: path)
        #expect(failed.firstErrorGroup == "STORAGE_CONTAINER_NOT_FOUND")
        #expect(app.vm(vmId)["disks"]?.arrayValue?.first?.value(atPath: "backingInfo/storageContainer/extId") == .string(target))
    }

    @Test func crossClusterMigrateMovesTheVMToAnExistingCluster() throws {
        let app = try TestApp.make()
        let path = "\(vms)/\(vmId)"
        let clusters = FixtureData.items("clustermgmt.config.clusters.json")
        let target = try #require(
            clusters.first { $0["extId"] != .string(VmFixture.cluster) && $0.value(atPath: "config/clusterFunction")?.arrayValue?.contains(.string("AOS")) == true }?["extId"]?.stringValue)
        func body(_ cluster: String) -> String {
            #"{"isLiveMigration":true,"targetAvailabilityZone":{"extId":"\#(VmFixture.missing)"},"targetCluster":{"extId":"\#(cluster)"}}"#
        }
        #expect(app.vmTask("POST", path + "/$actions/migrate", body: body(target), etagOf: path)["status"] == .string("SUCCEEDED"))
        #expect(app.vm(vmId).value(atPath: "cluster/extId") == .string(target))
        #expect(app.vm(vmId)["host"] == nil)
        let failed = app.vmTask("POST", path + "/$actions/migrate", body: body(VmFixture.missing), etagOf: path)
        #expect(failed.firstErrorGroup == "CLUSTER_NOT_FOUND")
        #expect(app.vm(vmId).value(atPath: "cluster/extId") == .string(target))
    }

    @Test func vmCustomAttributesAreAddedOnceAndRemoved() throws {
        let app = try TestApp.make()
        let path = "\(vms)/\(vmId)"
        let body = #"{"customAttributes":["a","b"]}"#
        _ = app.vmTask("POST", path + "/$actions/add-custom-attributes", body: body, etagOf: path)
        _ = app.vmTask("POST", path + "/$actions/add-custom-attributes", body: #"{"customAttributes":["b","c"]}"#, etagOf: path)
        #expect(app.vm(vmId)["customAttributes"] == .array([.string("a"), .string("b"), .string("c")]))
        _ = app.vmTask("POST", path + "/$actions/remove-custom-attributes", body: body, etagOf: path)
        #expect(app.vm(vmId)["customAttributes"] == .array([.string("c")]))
    }

    // MARK: References on create and update

    @Test func aNewVMGetsDeviceIdsAndStartsOff() throws {
        let app = try TestApp.make()
        let subnet = try #require(VmFixture.subnets.first)
        let image = try #require(VmFixture.images.first)
        let extra = #","nics":[{"networkInfo":{"subnet":{"extId":"\#(subnet)"}},"backingInfo":{"model":"VIRTIO"}}],"disks":[{"backingInfo":{"$objectType":"vmm.v4.ahv.config.VmDisk","dataSource":{"reference":{"$objectType":"vmm.v4.ahv.config.ImageReference","imageExtId":"\#(image)"}}}}]"#
        let (task, id) = app.createVm("with-devices", extra: extra)
        let vmId = try #require(id, "\(task)")
        let vm = app.vm(vmId)
        #expect(vm["powerState"] == .string("OFF"))
        let nicId = try #require(VmFixture.extIds(vm["nics"]).first)
        let diskId = try #require(VmFixture.extIds(vm["disks"]).first)
        #expect(nicId != diskId)
        #expect(vm["nics"]?.arrayValue?.first?.value(atPath: "backingInfo/macAddress")?.stringValue?.hasPrefix("50:6b:8d:") == true)
        #expect(app.call("GET", "\(vms)/\(vmId)/nics/\(nicId)").status == 200)
    }

    @Test(arguments: [
        ("nics", "SUBNET_NOT_FOUND"), ("disks", "IMAGE_NOT_FOUND"), ("cluster", "CLUSTER_NOT_FOUND"),
        ("categories", "CATEGORY_NOT_FOUND"),
    ])
    func aVMReferencingSomethingMissingIsNotCreated(member: String, group: String) throws {
        let app = try TestApp.make()
        let m = VmFixture.missing
        let body: String
        switch member {
        case "nics": body = #"{"name":"bad","cluster":{"extId":"\#(VmFixture.cluster)"},"nics":[{"networkInfo":{"subnet":{"extId":"\#(m)"}}}]}"#
        case "disks": body = #"{"name":"bad","cluster":{"extId":"\#(VmFixture.cluster)"},"disks":[{"backingInfo":{"$objectType":"vmm.v4.ahv.config.VmDisk","dataSource":{"reference":{"$objectType":"vmm.v4.ahv.config.ImageReference","imageExtId":"\#(m)"}}}}]}"#
        case "cluster": body = #"{"name":"bad","cluster":{"extId":"\#(m)"}}"#
        default: body = #"{"name":"bad","cluster":{"extId":"\#(VmFixture.cluster)"},"categories":[{"extId":"\#(m)"}]}"#
        }
        let task = app.vmTask("POST", vms, body: body)
        #expect(task["status"] == .string("FAILED"))
        #expect(task.firstErrorGroup == group)
        #expect(task["errorMessages"]?.arrayValue?.first?["code"]?.stringValue?.hasPrefix("VMM-") == true)
        #expect(app.call("GET", vms + "?%24filter=name%20eq%20%27bad%27").json["data"] == nil)
    }

    @Test func aDiskWithAMissingImageFailsAndTheVMKeepsItsDisks() throws {
        let app = try TestApp.make()
        let body = #"{"backingInfo":{"$objectType":"vmm.v4.ahv.config.VmDisk","dataSource":{"reference":{"$objectType":"vmm.v4.ahv.config.ImageReference","imageExtId":"\#(VmFixture.missing)"}}}}"#
        let task = app.vmTask("POST", "\(vms)/\(vmId)/disks", body: body)
        #expect(task.firstErrorGroup == "IMAGE_NOT_FOUND")
        #expect(VmFixture.extIds(app.vm(vmId)["disks"]) == VmFixture.extIds(VmFixture.full["disks"]))
    }

    @Test func aPutKeepsDevicesAndCategoriesAndChangesTheRest() throws {
        let app = try TestApp.make()
        var vm = try #require(app.vm(vmId).objectValue)
        vm["name"] = .string("renamed")
        vm["disks"] = nil
        vm["categories"] = .array([])
        let task = app.vmTask("PUT", "\(vms)/\(vmId)", body: JSON.object(vm).text, etagOf: "\(vms)/\(vmId)")
        #expect(task["status"] == .string("SUCCEEDED"))
        let after = app.vm(vmId)
        #expect(after["name"] == .string("renamed"))
        #expect(VmFixture.extIds(after["disks"]) == VmFixture.extIds(VmFixture.full["disks"]))
        #expect(VmFixture.extIds(after["categories"]) == VmFixture.extIds(VmFixture.full["categories"]))
    }
}
