import Foundation
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// Clusters, hosts and storage containers: the seeded inventory, listed and filtered as clients
/// do it, hosts by cluster. Expected values come from the fixture files.
struct InventoryTests {
    let base = "/api/clustermgmt/v4.3/config"
    static let clusters = FixtureData.items("clustermgmt.config.clusters.json")
    static let hosts = FixtureData.items("clustermgmt.config.hosts.json")
    static let containers = FixtureData.items("clustermgmt.config.storage-containers.json")

    func ids(_ r: Reply) -> Set<String> {
        Set((r.json["data"]?.arrayValue ?? []).compactMap { $0["extId"]?.stringValue })
    }

    func ids(_ items: [JSON], where keep: (JSON) -> Bool) -> Set<String> {
        Set(items.filter(keep).compactMap { $0["extId"]?.stringValue })
    }

    static var clusterA: String {
        clusters.first { $0["name"] == .string("ahv-cluster-a") }?["extId"]?.stringValue ?? ""
    }

    @Test func clustersFilterByFunctionAsCapxDoes() throws {
        let app = try TestApp.make()
        let aos = app.call(
            "GET",
            "\(base)/clusters?%24filter=config%2FclusterFunction%2Fany%28t%3At%20eq%20Clustermgmt.Config.ClusterFunctionRef%27AOS%27%29"
        )
        #expect(aos.status == 200)
        let expected = ids(Self.clusters) { c in
            (c.value(atPath: "config/clusterFunction")?.arrayValue ?? []).contains(.string("AOS"))
        }
        #expect(expected.count == 2)
        #expect(ids(aos) == expected)
        let byName = app.call("GET", "\(base)/clusters?%24filter=name%20eq%20%27ahv-cluster-b%27")
        #expect(ids(byName) == ids(Self.clusters) { $0["name"] == .string("ahv-cluster-b") })
    }

    @Test func hostsFilterByClusterAndOrderByName() throws {
        let app = try TestApp.make()
        let cluster = Self.clusterA
        let r = app.call("GET", "\(base)/hosts?%24filter=cluster%2Fuuid%20eq%20%27\(cluster)%27&%24orderby=hostName")
        let expected = Self.hosts.filter { $0.value(atPath: "cluster/uuid") == .string(cluster) }
        #expect(expected.count == 3)
        let names = (r.json["data"]?.arrayValue ?? []).compactMap { $0["hostName"]?.stringValue }
        #expect(names == expected.compactMap { $0["hostName"]?.stringValue }.sorted())
        let nested = app.call(
            "GET", "\(base)/clusters/\(cluster)/hosts?%24filter=hostName%20eq%20%27\(names.last ?? "")%27")
        #expect(nested.json["data"]?.arrayValue?.count == 1)
    }

    @Test func aHostIsFoundOnlyUnderItsOwnCluster() throws {
        let app = try TestApp.make()
        for host in Self.hosts {
            let id = try #require(host["extId"]?.stringValue)
            let own = try #require(host.value(atPath: "cluster/uuid")?.stringValue)
            let other = try #require(Self.clusters.compactMap { $0["extId"]?.stringValue }.first { $0 != own })
            #expect(
                app.call("GET", "\(base)/clusters/\(own)/hosts/\(id)").json.value(atPath: "data/hostName")
                    == host["hostName"])
            #expect(app.call("GET", "\(base)/clusters/\(other)/hosts/\(id)").status == 404)
        }
        for cluster in Self.clusters {
            let id = try #require(cluster["extId"]?.stringValue)
            let expected = ids(Self.hosts) { $0.value(atPath: "cluster/uuid") == .string(id) }
            #expect(ids(app.call("GET", "\(base)/clusters/\(id)/hosts")) == expected, "\(cluster["name"] ?? .null)")
        }
    }

    @Test func storageContainersFilterByClusterAndName() throws {
        let app = try TestApp.make()
        let cluster = Self.clusterA
        let r = app.call(
            "GET", "\(base)/storage-containers?%24filter=clusterExtId%20eq%20%27\(cluster)%27&%24limit=100")
        #expect(ids(r) == ids(Self.containers) { $0["clusterExtId"] == .string(cluster) })
        #expect(ids(r).count == 4)
        let named = app.call(
            "GET",
            "\(base)/storage-containers?%24filter=name%20eq%20%27default-container%27%20and%20clusterExtId%20eq%20%27\(cluster)%27"
        )
        #expect(named.json["data"]?.arrayValue?.count == 1)
        let page = app.call("GET", "\(base)/storage-containers?%24limit=3&%24page=1")
        #expect(page.json.value(atPath: "metadata/totalAvailableResults") == .int(Int64(Self.containers.count)))
        #expect(page.json["data"]?.arrayValue?.count == 3)
    }

    @Test func anUnknownFilterFieldIsA400() throws {
        let app = try TestApp.make()
        #expect(app.call("GET", "\(base)/hosts?%24filter=rackName%20eq%20%27x%27").status == 400)
    }
}
