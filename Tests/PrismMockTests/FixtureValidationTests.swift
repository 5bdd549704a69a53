import Foundation
import OData
import PrismAPI
import Testing
@testable import PrismMock

/// The committed fixtures are what the real API would return: every document validates against
/// its model in openapi/, and the references tests rely on resolve (issue 8 point 4).
struct FixtureValidationTests {
    static let files: [String] = {
        let dir = TestApp.repoRoot.appendingPathComponent("fixtures")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func ids(_ file: String) -> Set<String> {
        Set(FixtureData.items(file).compactMap { $0["extId"]?.stringValue })
    }

    @Test func thereAreFixturesToCheck() {
        #expect(Self.files.count >= 10)
    }

    @Test(arguments: files)
    func everyDocumentValidatesAgainstItsModel(file: String) throws {
        let url = TestApp.repoRoot.appendingPathComponent("fixtures").appendingPathComponent(file)
        let root = try JSON.parse(Array(try Data(contentsOf: url)))
        let objectType = try #require(root["objectType"]?.stringValue)
        let namespace = String(objectType.prefix { $0 != "." })
        let model = try #require(TestApp.catalog.model(named: objectType, in: namespace) ?? TestApp.catalog.model(named: objectType))
        var validator = BodyValidator(catalog: TestApp.catalog, namespace: namespace)
        validator.rejectUnknownFields = true
        let items = try #require(root["items"]?.arrayValue)
        #expect(!items.isEmpty)
        for item in items {
            var doc = try #require(item.objectValue)
            doc["$pcmock"] = nil
            #expect(doc["$objectType"] == .string(model.objectType))
            #expect(doc["$reserved"]?["$fv"] != nil)
            let problems = validator.validate(.object(doc), as: .model(objectType))
            #expect(problems.isEmpty, "\(file) \(doc["extId"]?.stringValue ?? "?"): \(problems)")
        }
    }

    @Test func vmReferencesResolve() throws {
        let clusters = Self.ids("clustermgmt.config.clusters.json")
        let subnets = Self.ids("networking.config.subnets.json")
        let categories = Self.ids("prism.config.categories.json")
        let images = Self.ids("vmm.content.images.json")
        let containers = Self.ids("clustermgmt.config.storage-containers.json")
        for vm in FixtureData.items("vmm.ahv.config.vms.json") {
            let name = vm["name"]?.stringValue ?? "?"
            #expect(clusters.contains(vm.value(atPath: "cluster/extId")?.stringValue ?? ""), "\(name) cluster")
            for nic in vm["nics"]?.arrayValue ?? [] {
                let subnet = nic.value(atPath: "networkInfo/subnet/extId") ?? nic.value(atPath: "nicNetworkInfo/subnet/extId")
                #expect(subnets.contains(subnet?.stringValue ?? ""), "\(name) NIC subnet")
            }
            for c in vm["categories"]?.arrayValue ?? [] {
                #expect(categories.contains(c["extId"]?.stringValue ?? ""), "\(name) category")
            }
            for disk in vm["disks"]?.arrayValue ?? [] {
                if let container = disk.value(atPath: "backingInfo/storageContainer/extId")?.stringValue {
                    #expect(containers.contains(container), "\(name) disk container")
                }
                if let image = disk.value(atPath: "backingInfo/dataSource/reference/imageExtId")?.stringValue {
                    #expect(images.contains(image), "\(name) disk image")
                }
            }
        }
    }

    @Test func inventoryReferencesResolve() throws {
        let clusters = Self.ids("clustermgmt.config.clusters.json")
        for host in FixtureData.items("clustermgmt.config.hosts.json") {
            #expect(clusters.contains(host["$pcmock"]?["parentExtId"]?.stringValue ?? ""))
        }
        for c in FixtureData.items("clustermgmt.config.storage-containers.json") {
            #expect(clusters.contains(c["clusterExtId"]?.stringValue ?? ""))
        }
        for image in FixtureData.items("vmm.content.images.json") {
            for loc in image["clusterLocationExtIds"]?.arrayValue ?? [] {
                #expect(clusters.contains(loc.stringValue ?? ""))
            }
        }
        let users = Self.ids("iam.authn.users.json")
        for key in FixtureData.items("iam.authn.users.keys.json") {
            #expect(users.contains(key["$pcmock"]?["parentExtId"]?.stringValue ?? ""))
        }
        for vg in FixtureData.items("volumes.config.volume-groups.json") {
            #expect(clusters.contains(vg["clusterReference"]?.stringValue ?? ""))
        }
    }
}
