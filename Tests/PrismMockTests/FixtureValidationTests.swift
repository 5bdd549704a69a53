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

    @Test func networkVolumeAndIAMReferencesResolve() throws {
        let clusters = Self.ids("clustermgmt.config.clusters.json")
        let containers = Self.ids("clustermgmt.config.storage-containers.json")
        let subnets = FixtureData.items("networking.config.subnets.json")
        let subnetIds = Self.ids("networking.config.subnets.json")
        let vpcs = Self.ids("networking.config.vpcs.json")
        for subnet in subnets {
            let name = subnet["name"]?.stringValue ?? "?"
            #expect(clusters.contains(subnet["clusterReference"]?.stringValue ?? ""), "\(name) cluster")
            if let vpc = subnet["vpcReference"]?.stringValue { #expect(vpcs.contains(vpc), "\(name) VPC") }
        }
        for vpc in FixtureData.items("networking.config.vpcs.json") {
            for external in vpc["externalSubnets"]?.arrayValue ?? [] {
                let ref = external["subnetReference"]?.stringValue ?? ""
                #expect(subnetIds.contains(ref))
                #expect(subnets.first { $0["extId"] == .string(ref) }?["isExternal"] == .bool(true), "\(ref) external")
            }
        }
        let groups = Self.ids("volumes.config.volume-groups.json")
        for disk in FixtureData.items("volumes.config.volume-groups.disks.json") {
            #expect(groups.contains(disk["$pcmock"]?["parentExtId"]?.stringValue ?? ""))
            #expect(containers.contains(disk["storageContainerId"]?.stringValue ?? ""))
        }
        let vms = FixtureData.items("vmm.ahv.config.vms.json")
        let vmIds = Self.ids("vmm.ahv.config.vms.json")
        let attachments = FixtureData.items("volumes.config.volume-groups.vm-attachments.json")
        for attachment in attachments {
            #expect(groups.contains(attachment["$pcmock"]?["parentExtId"]?.stringValue ?? ""))
            #expect(vmIds.contains(attachment["extId"]?.stringValue ?? ""))
        }
        // A VM's volume-group disk and the group's vm-attachment describe the same attachment.
        for vm in vms {
            for disk in vm["disks"]?.arrayValue ?? [] {
                guard let group = disk.value(atPath: "backingInfo/volumeGroupExtId")?.stringValue else { continue }
                #expect(groups.contains(group))
                #expect(attachments.contains {
                    $0["extId"] == vm["extId"] && $0["$pcmock"]?["parentExtId"] == .string(group)
                }, "\(vm["name"]?.stringValue ?? "?") → \(group)")
            }
        }
        let operations = Self.ids("iam.authz.operations.json")
        let roles = Self.ids("iam.authz.roles.json")
        let users = Self.ids("iam.authn.users.json")
        for role in FixtureData.items("iam.authz.roles.json") {
            for op in role["operations"]?.arrayValue ?? [] { #expect(operations.contains(op.stringValue ?? "")) }
        }
        for policy in FixtureData.items("iam.authz.authorization-policies.json") {
            #expect(roles.contains(policy["role"]?.stringValue ?? ""))
            for identity in policy["identities"]?.arrayValue ?? [] {
                for user in identity.value(atPath: "identityFilter/user/uuid/anyof")?.arrayValue ?? [] {
                    #expect(users.contains(user.stringValue ?? ""))
                }
            }
        }
    }

    @Test func hostsImagesAndCategoriesAreConsistent() throws {
        let clusters = Self.ids("clustermgmt.config.clusters.json")
        let hosts = FixtureData.items("clustermgmt.config.hosts.json")
        for host in hosts {
            // The nested route reads the parent link; the document names the same cluster.
            #expect(host.value(atPath: "cluster/uuid") == host["$pcmock"]?["parentExtId"])
        }
        for vm in FixtureData.items("vmm.ahv.config.vms.json") {
            guard let host = vm.value(atPath: "host/extId")?.stringValue else { continue }
            let owner = hosts.first { $0["extId"] == .string(host) }
            #expect(owner != nil, "\(vm["name"]?.stringValue ?? "?") host")
            #expect(owner?.value(atPath: "cluster/uuid") == vm.value(atPath: "cluster/extId"))
        }
        let categories = FixtureData.items("prism.config.categories.json")
        let categoryIds = Self.ids("prism.config.categories.json")
        for image in FixtureData.items("vmm.content.images.json") {
            for c in image["categoryExtIds"]?.arrayValue ?? [] { #expect(categoryIds.contains(c.stringValue ?? "")) }
        }
        for cluster in FixtureData.items("clustermgmt.config.clusters.json") {
            for c in cluster["categories"]?.arrayValue ?? [] { #expect(categoryIds.contains(c.stringValue ?? "")) }
        }
        // Prism Central holds one category per key and value.
        let pairs = categories.map { "\($0["key"]?.stringValue ?? "")=\($0["value"]?.stringValue ?? "")" }
        #expect(Set(pairs).count == pairs.count)
        let domainManager = FixtureData.items("prism.config.domain-managers.json").first?["extId"]?.stringValue ?? ""
        #expect(clusters.contains(domainManager))
    }

    @Test func fixtureSubnetsPassTheRulesPrismChecks() throws {
        let clusters = Self.ids("clustermgmt.config.clusters.json")
        let vpcs = Self.ids("networking.config.vpcs.json")
        let rules = SubnetRules { kind, id in kind == .vpc ? vpcs.contains(id) : clusters.contains(id) }
        for subnet in FixtureData.items("networking.config.subnets.json") {
            let problems = try rules.problems(try #require(subnet.objectValue))
            #expect(problems.isEmpty, "\(subnet["name"]?.stringValue ?? "?"): \(problems)")
        }
    }
}
