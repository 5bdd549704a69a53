import Foundation
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// Image import: size filled in from the source, VM disk sources and cluster locations must
/// resolve (else the task fails with a VMM error and no image appears), updates with If-Match.
struct ImageServiceTests {
    let images = "/api/vmm/v4.3/content/images"

    func create(_ app: PrismMockApp, _ body: String) throws -> JSON {
        let r = app.call("POST", images, body: body)
        #expect(r.status == 202)
        let taskId = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        return app.call("GET", "/api/prism/v4.4/config/tasks/\(taskId)").json["data"] ?? .null
    }

    func createdImage(_ app: PrismMockApp, _ task: JSON) throws -> JSON {
        #expect(task["status"] == .string("SUCCEEDED"))
        let affected = task["entitiesAffected"]?.arrayValue ?? []
        let id = try #require(affected.first { $0["rel"] == .string("vmm:content:image") }?["extId"]?.stringValue)
        return app.call("GET", "\(images)/\(id)").json["data"] ?? .null
    }

    func imageCount(_ app: PrismMockApp) -> JSON? {
        app.call("GET", "\(images)?%24limit=1").json.value(atPath: "metadata/totalAvailableResults")
    }

    static let clusters = FixtureData.items("clustermgmt.config.clusters.json").compactMap { $0["extId"]?.stringValue }

    @Test func aUrlImageGetsADeterministicPlausibleSize() throws {
        let app = try TestApp.make()
        let url = "https://images.example.com/rocky-9.qcow2"
        let body =
            #"{"name":"rocky","type":"DISK_IMAGE","source":{"$objectType":"vmm.v4.content.UrlSource","url":"\#(url)"},"#
            + #""clusterLocationExtIds":["\#(Self.clusters[1])"]}"#
        let image = try createdImage(app, try create(app, body))
        let size = try #require(image["sizeBytes"]?.numberValue)
        #expect(size >= 256 * 1_048_576 && size <= 8 * 1_073_741_824)
        #expect(size.truncatingRemainder(dividingBy: 1_048_576) == 0)
        // The same URL again (elsewhere): the same size; another URL: almost surely another.
        let again = try createdImage(
            app, try create(app, body.replacingOccurrences(of: #""rocky""#, with: #""rocky-2""#)))
        #expect(again["sizeBytes"]?.numberValue == size)
        let other = try createdImage(app, try create(app, body.replacingOccurrences(of: "rocky-9", with: "alma-9")))
        #expect(other["sizeBytes"]?.numberValue != size)
        // A size the client sends is not what the import found.
        let claimed = try createdImage(
            app, try create(app, body.replacingOccurrences(of: #""type""#, with: #""sizeBytes":1,"type""#)))
        #expect(claimed["sizeBytes"]?.numberValue == size)
    }

    @Test func anImageFromAVmDiskTakesTheDiskSize() throws {
        let app = try TestApp.make()
        let vm = try #require(FixtureData.items("vmm.ahv.config.vms.json").first)
        let vmId = try #require(vm["extId"]?.stringValue)
        let disk = try #require(vm["disks"]?.arrayValue?.first)
        let diskId = try #require(disk["extId"]?.stringValue)
        let expected = try #require(disk.value(atPath: "backingInfo/diskSizeBytes"))
        for source in [
            #"{"$objectType":"vmm.v4.content.VmDiskSource","extId":"\#(diskId)","vmExtId":"\#(vmId)"}"#,
            #"{"$objectType":"vmm.v4.content.VmDiskSource","extId":"\#(diskId)"}"#,
        ] {
            let image = try createdImage(
                app, try create(app, #"{"name":"from-disk","type":"DISK_IMAGE","source":\#(source)}"#))
            #expect(image["sizeBytes"] == expected)
            #expect(image.value(atPath: "source/extId") == .string(diskId))
        }
    }

    @Test(arguments: [
        ("vm", "VM_NOT_FOUND"), ("disk", "VM_DISK_NOT_FOUND"),
    ])
    func aVmDiskSourceThatDoesNotResolveFailsTheTask(missing: String, group: String) throws {
        let app = try TestApp.make()
        let vm = try #require(FixtureData.items("vmm.ahv.config.vms.json").first)
        let vmId = missing == "vm" ? "00000000-0000-4000-8000-0000000000aa" : try #require(vm["extId"]?.stringValue)
        let diskId =
            missing == "disk"
            ? "00000000-0000-4000-8000-0000000000bb"
            : try #require(vm["disks"]?.arrayValue?.first?["extId"]?.stringValue)
        let before = imageCount(app)
        let task = try create(
            app,
            #"{"name":"bad","type":"DISK_IMAGE","source":{"$objectType":"vmm.v4.content.VmDiskSource","extId":"\#(diskId)","vmExtId":"\#(vmId)"}}"#
        )
        #expect(task["status"] == .string("FAILED"))
        let error = try #require(task["errorMessages"]?.arrayValue?.first)
        #expect(error["errorGroup"] == .string(group))
        #expect(error["code"]?.stringValue?.hasPrefix("VMM-") == true)
        #expect(imageCount(app) == before)
    }

    @Test func aClusterLocationThatDoesNotExistFailsTheTask() throws {
        let app = try TestApp.make()
        let before = imageCount(app)
        let missing = "00000000-0000-4000-8000-0000000000cc"
        let task = try create(
            app,
            #"{"name":"x","type":"ISO_IMAGE","source":{"$objectType":"vmm.v4.content.UrlSource","url":"http://a.invalid/x.iso"},"clusterLocationExtIds":["\#(Self.clusters[1])","\#(missing)"]}"#
        )
        #expect(task["status"] == .string("FAILED"))
        let error = try #require(task["errorMessages"]?.arrayValue?.first)
        #expect(error["errorGroup"] == .string("CLUSTER_NOT_FOUND"))
        #expect(error["argumentsMap"]?["clusterExtId"] == .string(missing))
        #expect(imageCount(app) == before)
    }

    @Test func anUpdateNeedsTheCurrentETagAndExistingClusters() throws {
        let app = try TestApp.make()
        let fixture = try #require(FixtureData.items("vmm.content.images.json").first)
        let id = try #require(fixture["extId"]?.stringValue)
        let path = "\(images)/\(id)"
        let etag = try #require(app.call("GET", path).header("ETag"))
        let body = #"{"name":"renamed","type":"DISK_IMAGE"}"#
        #expect(app.call("PUT", path, body: body, headers: [("If-Match", #""stale""#)]).status == 412)
        #expect(app.call("PUT", path, body: body).status == 428)
        let bad = app.call(
            "PUT", path,
            body:
                #"{"name":"renamed","type":"DISK_IMAGE","clusterLocationExtIds":["00000000-0000-4000-8000-0000000000dd"]}"#,
            headers: [("If-Match", etag)])
        let badTask = app.call(
            "GET", "/api/prism/v4.4/config/tasks/\(bad.json.value(atPath: "data/extId")?.stringValue ?? "")")
        #expect(badTask.json.value(atPath: "data/status") == .string("FAILED"))
        #expect(app.call("GET", path).header("ETag") == etag)
        let ok = app.call("PUT", path, body: body, headers: [("If-Match", etag)])
        #expect(ok.status == 202)
        let after = app.call("GET", path)
        #expect(after.json.value(atPath: "data/name") == .string("renamed"))
        #expect(after.json.value(atPath: "data/sizeBytes") == fixture["sizeBytes"])
        #expect(after.header("ETag") != etag)
    }

    @Test func plausibleSizesStayInRange() {
        for url in ["a", "http://x/y.iso", "nfs://server/export/disk.img", String(repeating: "z", count: 5000)] {
            let size = ImageService.plausibleSize(of: url)
            #expect(size >= 256 * 1_048_576 && size < 8_449 * 1_048_576)
        }
    }
}
