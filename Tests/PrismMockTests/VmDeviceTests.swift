import Foundation
import OData
import Testing

@testable import PrismMock

/// Disks, NICs, CD-ROMs, GPUs… as sub-resources: one copy, in the VM document. Whatever a
/// sub-resource operation does shows in the VM's array and the reverse.
struct VmDeviceTests {
    let vms = VmFixture.vms
    var vmId: String { VmFixture.fullId }

    @Test(arguments: [("disks", "disks"), ("nics", "nics"), ("cd-roms", "cdRoms")])
    func aSubResourceListIsTheVMsArray(segment: String, field: String) throws {
        let app = try TestApp.make()
        let expected = VmFixture.extIds(VmFixture.full[field])
        #expect(!expected.isEmpty)
        let list = app.call("GET", "\(vms)/\(vmId)/\(segment)")
        #expect(list.status == 200)
        #expect(VmFixture.extIds(list.json["data"]) == expected)
        #expect(list.json.value(atPath: "metadata/totalAvailableResults") == .int(Int64(expected.count)))
        let one = app.call("GET", "\(vms)/\(vmId)/\(segment)/\(expected[0])")
        #expect(one.status == 200)
        #expect(one.json.value(atPath: "data/extId") == .string(expected[0]))
        #expect(one.header("ETag") != nil)
        #expect(one.json.value(atPath: "data/$reserved/ETag")?.stringValue == one.header("ETag"))
    }

    @Test func nicsFilterBySubnetAndPage() throws {
        let app = try TestApp.make()
        let used = Set((VmFixture.full["nics"]?.arrayValue ?? []).compactMap { $0.value(atPath: "networkInfo/subnet/extId")?.stringValue })
        let second = try #require(VmFixture.subnets.first { !used.contains($0) })
        for subnet in [second, second] {
            let body = #"{"networkInfo":{"subnet":{"extId":"\#(subnet)"}}}"#
            #expect(app.vmTask("POST", "\(vms)/\(vmId)/nics", body: body)["status"] == .string("SUCCEEDED"))
        }
        let filter = "networkInfo/subnet/extId eq '\(second)'".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let listed = app.call("GET", "\(vms)/\(vmId)/nics?%24filter=\(filter)&%24limit=1&%24page=1").json
        #expect(listed.value(atPath: "metadata/totalAvailableResults") == .int(2))
        #expect(listed["data"]?.arrayValue?.count == 1)
        #expect(listed["data"]?.arrayValue?.first?.value(atPath: "networkInfo/subnet/extId") == .string(second))
        let all = app.call("GET", "\(vms)/\(vmId)/nics").json.value(atPath: "metadata/totalAvailableResults")
        #expect(all == .int(Int64(VmFixture.extIds(VmFixture.full["nics"]).count + 2)))
    }

    @Test func aCreatedDiskAppearsInTheVMAndItsList() throws {
        let app = try TestApp.make()
        let body = #"{"diskAddress":{"busType":"SCSI","index":5},"backingInfo":{"$objectType":"vmm.v4.ahv.config.VmDisk","diskSizeBytes":1073741824}}"#
        let task = app.vmTask("POST", "\(vms)/\(vmId)/disks", body: body, etagOf: "\(vms)/\(vmId)")
        #expect(task["status"] == .string("SUCCEEDED"))
        let diskId = try #require(task.affected("vmm:ahv:config:vm:disk").first)
        #expect(task.affected("vmm:ahv:config:vm") == [vmId])
        let inVm = VmFixture.extIds(app.vm(vmId)["disks"])
        #expect(inVm == VmFixture.extIds(VmFixture.full["disks"]) + [diskId])
        let listed = VmFixture.extIds(app.call("GET", "\(vms)/\(vmId)/disks").json["data"])
        #expect(listed == inVm)
        let disk = app.call("GET", "\(vms)/\(vmId)/disks/\(diskId)").json["data"] ?? .null
        #expect(disk.value(atPath: "diskAddress/index") == .int(5))
        #expect(disk.value(atPath: "backingInfo/diskSizeBytes") == .int(1_073_741_824))
        // The server gives the backing disk its own id, as Prism Central does.
        #expect(disk.value(atPath: "backingInfo/diskExtId")?.stringValue?.count == 36)
    }

    @Test func aNicUpdateWithTheNicsETagChangesTheVMsNic() throws {
        let app = try TestApp.make()
        let nicId = try #require(VmFixture.extIds(VmFixture.full["nics"]).first)
        let nicPath = "\(vms)/\(vmId)/nics/\(nicId)"
        let other = try #require(VmFixture.subnets.last)
        let body = #"{"networkInfo":{"subnet":{"extId":"\#(other)"}}}"#
        let task = app.vmTask("PUT", nicPath, body: body, etagOf: nicPath)
        #expect(task["status"] == .string("SUCCEEDED"))
        let nic = app.vm(vmId)["nics"]?.arrayValue?.first { $0["extId"] == .string(nicId) }
        #expect(nic?.value(atPath: "networkInfo/subnet/extId") == .string(other))
        #expect(app.call("GET", nicPath).json.value(atPath: "data/networkInfo/subnet/extId") == .string(other))
    }

    @Test func aStaleDeviceETagIs412AndChangesNothing() throws {
        let app = try TestApp.make()
        let nicId = try #require(VmFixture.extIds(VmFixture.full["nics"]).first)
        let nicPath = "\(vms)/\(vmId)/nics/\(nicId)"
        let stale = try #require(app.call("GET", nicPath).header("ETag"))
        // Any change to the VM moves its devices' ETags too.
        _ = app.vmTask("POST", "\(vms)/\(vmId)/$actions/power-off", etagOf: "\(vms)/\(vmId)")
        let before = app.vm(vmId)
        let r = app.call("DELETE", nicPath, headers: [("If-Match", stale)])
        #expect(r.status == 412)
        #expect(app.vm(vmId)["nics"] == before["nics"])
    }

    @Test func aDeletedCdRomLeavesTheVMAndItsList() throws {
        let app = try TestApp.make()
        let cdId = try #require(VmFixture.extIds(VmFixture.full["cdRoms"]).first)
        let task = app.vmTask("DELETE", "\(vms)/\(vmId)/cd-roms/\(cdId)", etagOf: "\(vms)/\(vmId)")
        #expect(task["status"] == .string("SUCCEEDED"))
        #expect(task.affected("vmm:ahv:config:vm:cdrom") == [cdId])
        #expect(app.vm(vmId)["cdRoms"] == nil)
        #expect(app.call("GET", "\(vms)/\(vmId)/cd-roms").json["data"] == nil)
        #expect(app.call("GET", "\(vms)/\(vmId)/cd-roms/\(cdId)").status == 404)
    }

    @Test func devicesOfAMissingVMOrMissingDevicesAre404() throws {
        let app = try TestApp.make()
        #expect(app.call("GET", "\(vms)/\(VmFixture.missing)/disks").status == 404)
        #expect(app.call("GET", "\(vms)/\(vmId)/disks/\(VmFixture.missing)").status == 404)
        #expect(app.call("DELETE", "\(vms)/\(vmId)/disks/\(VmFixture.missing)").status == 404)
    }

    @Test func deletingTheVMDeletesItsDevices() throws {
        let app = try TestApp.make()
        let diskId = try #require(VmFixture.extIds(VmFixture.full["disks"]).first)
        #expect(app.vmTask("DELETE", "\(vms)/\(vmId)", etagOf: "\(vms)/\(vmId)")["status"] == .string("SUCCEEDED"))
        #expect(app.call("GET", "\(vms)/\(vmId)/disks").status == 404)
        #expect(app.call("GET", "\(vms)/\(vmId)/disks/\(diskId)").status == 404)
    }

    @Test func twoPendingDeviceCreatesBothLand() throws {
        let t = try TaskTestApp(mode: .manual)
        let path = "\(vms)/\(vmId)/nics"
        let a = t.send("POST", path, #"{"backingInfo":{"model":"VIRTIO"}}"#)
        let b = t.send("POST", path, #"{"backingInfo":{"model":"E1000"}}"#)
        #expect(a.status == 202 && b.status == 202)
        try t.scheduler.advance(toCompletion: true)
        let nics = t.send("GET", "\(vms)/\(vmId)").data["nics"]?.arrayValue ?? []
        #expect(nics.count == VmFixture.extIds(VmFixture.full["nics"]).count + 2)
        let macs = Set(nics.compactMap { $0.value(atPath: "backingInfo/macAddress")?.stringValue })
        #expect(macs.count == nics.count)
    }

    @Test func cdRomInsertAndEjectChangeItsMedia() throws {
        let app = try TestApp.make()
        let cdId = try #require(VmFixture.extIds(VmFixture.full["cdRoms"]).first)
        let iso = try #require(VmFixture.images.last)
        let path = "\(vms)/\(vmId)/cd-roms/\(cdId)"
        let body = #"{"backingInfo":{"dataSource":{"reference":{"$objectType":"vmm.v4.ahv.config.ImageReference","imageExtId":"\#(iso)"}}}}"#
        #expect(app.vmTask("POST", path + "/$actions/insert", body: body, etagOf: path)["status"] == .string("SUCCEEDED"))
        let inserted = app.call("GET", path).json["data"] ?? .null
        #expect(inserted.value(atPath: "backingInfo/dataSource/reference/imageExtId") == .string(iso))
        #expect(app.vmTask("POST", path + "/$actions/eject", etagOf: path)["status"] == .string("SUCCEEDED"))
        #expect(app.call("GET", path).json.value(atPath: "data/backingInfo") == nil)
        let unknown = #"{"backingInfo":{"dataSource":{"reference":{"$objectType":"vmm.v4.ahv.config.ImageReference","imageExtId":"\#(VmFixture.missing)"}}}}"#
        let failed = app.vmTask("POST", path + "/$actions/insert", body: unknown, etagOf: path)
        #expect(failed["status"] == .string("FAILED"))
        #expect(failed.firstErrorGroup == "IMAGE_NOT_FOUND")
        #expect(app.call("GET", path).json.value(atPath: "data/backingInfo") == nil)
    }

    @Test func nicAssignAndReleaseIp() throws {
        let app = try TestApp.make()
        let nicId = try #require(VmFixture.extIds(VmFixture.full["nics"]).first)
        let path = "\(vms)/\(vmId)/nics/\(nicId)"
        let body = #"{"ipAddress":{"value":"10.100.0.77","prefixLength":32}}"#
        #expect(app.vmTask("POST", path + "/$actions/assign-ip", body: body, etagOf: path)["status"] == .string("SUCCEEDED"))
        let nic = app.call("GET", path).json["data"] ?? .null
        #expect(nic.value(atPath: "networkInfo/ipv4Config/ipAddress/value") == .string("10.100.0.77"))
        #expect(nic.value(atPath: "nicNetworkInfo/ipv4Config/ipAddress/value") == .string("10.100.0.77"))
        #expect(app.vmTask("POST", path + "/$actions/release-ip", etagOf: path)["status"] == .string("SUCCEEDED"))
        let released = app.call("GET", path).json["data"] ?? .null
        #expect(released.value(atPath: "networkInfo/ipv4Config/ipAddress") == nil)
        #expect(released.value(atPath: "networkInfo/ipv4Info") == nil)
        // Without an address, one comes from the subnet's pool.
        #expect(app.vmTask("POST", path + "/$actions/assign-ip", body: "{}", etagOf: path)["status"] == .string("SUCCEEDED"))
        let pooled = app.call("GET", path).json.value(atPath: "data/networkInfo/ipv4Config/ipAddress/value")?.stringValue
        #expect(pooled?.hasPrefix("10.100.0.") == true)
    }

    @Test func nicMigrateMovesItToAnotherSubnetThatMustExist() throws {
        let app = try TestApp.make()
        let nicId = try #require(VmFixture.extIds(VmFixture.full["nics"]).first)
        let path = "\(vms)/\(vmId)/nics/\(nicId)"
        let target = try #require(VmFixture.subnets.dropFirst().first)
        let body = #"{"subnet":{"extId":"\#(target)"},"migrateType":"RELEASE_IP"}"#
        #expect(app.vmTask("POST", path + "/$actions/migrate", body: body, etagOf: path)["status"] == .string("SUCCEEDED"))
        #expect(app.call("GET", path).json.value(atPath: "data/nicNetworkInfo/subnet/extId") == .string(target))
        let bad = #"{"subnet":{"extId":"\#(VmFixture.missing)"},"migrateType":"RELEASE_IP"}"#
        let failed = app.vmTask("POST", path + "/$actions/migrate", body: bad, etagOf: path)
        #expect(failed.firstErrorGroup == "SUBNET_NOT_FOUND")
        #expect(app.call("GET", path).json.value(atPath: "data/networkInfo/subnet/extId") == .string(target))
    }

    @Test func diskCustomAttributesAreAddedOnceAndRemoved() throws {
        let app = try TestApp.make()
        let diskId = try #require(VmFixture.extIds(VmFixture.full["disks"]).first)
        let path = "\(vms)/\(vmId)/disks/\(diskId)"
        let body = #"{"customAttributes":["tier:gold","owner:qa"]}"#
        _ = app.vmTask("POST", path + "/$actions/add-custom-attributes", body: body, etagOf: path)
        _ = app.vmTask("POST", path + "/$actions/add-custom-attributes", body: body, etagOf: path)
        #expect(app.call("GET", path).json.value(atPath: "data/customAttributes") == .array([.string("tier:gold"), .string("owner:qa")]))
        _ = app.vmTask("POST", path + "/$actions/remove-custom-attributes", body: #"{"customAttributes":["tier:gold"]}"#, etagOf: path)
        #expect(app.call("GET", path).json.value(atPath: "data/customAttributes") == .array([.string("owner:qa")]))
    }

    @Test func hydrationAnswersAnExplicit501() throws {
        let app = try TestApp.make()
        let diskId = try #require(VmFixture.extIds(VmFixture.full["disks"]).first)
        let r = app.call("POST", "\(vms)/\(vmId)/disks/\(diskId)/$actions/enable-hydration")
        #expect(r.status == 501)
        #expect(r.json.value(atPath: "data/error")?.arrayValue?.first?["message"]?.stringValue?.contains("enableVmDiskHydration") == true)
    }
}

/// The text scan device reads use instead of parsing a whole VM document.
struct VmDocumentTextTests {
    @Test(arguments: [
        (#"{"a":1,"disks":[{"x":"]}\""},{"y":[1,{}]}],"b":"c"}"#, "disks", #"[{"x":"]}\""},{"y":[1,{}]}]"#),
        (#"{ "name" : "vm \"q\"", "n" : -1.5e3 }"#, "n", "-1.5e3"),
        (#"{"name":"vm \"q\"","n":2}"#, "name", #""vm \"q\"""#),
        (#"{"nested":{"disks":[1]}}"#, "disks", nil),
        (#"{"disks":null}"#, "disks", "null"),
        ("[1,2]", "disks", nil),
        (#"{"disks":[1,2"#, "disks", nil),
    ])
    func findsATopLevelMember(document: String, name: String, expected: String?) {
        #expect(VmDocumentText.member(name, in: document) == expected)
    }

    @Test(arguments: [
        (#"{"a":1,"$reserved":{"x":[2]},"b":3}"#, #"{"a":1,"b":3}"#),
        (#"{"$reserved":{},"b":3}"#, #"{"b":3}"#),
        (#"{"a":1,"$reserved":{}}"#, #"{"a":1}"#),
        (#"{"$reserved":{}}"#, "{}"),
        (#"{"a":"$reserved"}"#, #"{"a":"$reserved"}"#),
    ])
    func removesATopLevelMember(document: String, expected: String) {
        #expect(VmDocumentText.removing("$reserved", from: document) == expected)
    }

    @Test func splitsAnArray() {
        #expect(VmDocumentText.elements(of: #"[{"a":[1,"]"]}, 2 ,"x"]"#) == [#"{"a":[1,"]"]}"#, "2", #""x""#])
        #expect(VmDocumentText.elements(of: "[]") == [])
        #expect(VmDocumentText.elements(of: "[1,") == nil)
        #expect(VmDocumentText.elements(of: "{}") == nil)
    }

    @Test func agreesWithTheParserOnEveryFixtureVM() throws {
        for vm in VmFixture.items {
            let text = vm.text
            for field in ["disks", "nics", "cdRoms", "categories", "name", "memorySizeBytes"] {
                let scanned = try VmDocumentText.member(field, in: text).map { try JSON.parse($0) }
                #expect(scanned == vm[field], "\(field)")
            }
            for field in ["disks", "nics", "cdRoms"] {
                let items = vm[field]?.arrayValue ?? []
                let texts = VmDocumentText.member(field, in: text).flatMap(VmDocumentText.elements(of:))
                #expect(try (texts ?? []).map { try JSON.parse($0) } == items)
                for (text, item) in zip(texts ?? [], items) {
                    var bare = try #require(item.objectValue)
                    bare["$reserved"] = nil
                    #expect(try JSON.parse(VmDocumentText.removing("$reserved", from: text)) == .object(bare))
                }
            }
        }
    }
}
