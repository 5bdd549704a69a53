import Foundation
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// Subnets and VPCs are created, updated and deleted as tasks; a configuration Prism Central
/// refuses is a 400 naming the attribute, and nothing is created.
struct NetworkingServiceTests {
    let subnets = "/api/networking/v4.4/config/subnets"
    let vpcs = "/api/networking/v4.4/config/vpcs"

    static var clusterA: String {
        FixtureData.items("clustermgmt.config.clusters.json").first { $0["name"] == .string("ahv-cluster-a") }?[
            "extId"]?
            .stringValue ?? ""
    }
    static var vpc: String { FixtureData.items("networking.config.vpcs.json").first?["extId"]?.stringValue ?? "" }

    static func ipv4(
        prefix: String = "10.50.0.0", length: Int = 24, gateway: String? = "10.50.0.1",
        pools: [(String, String)] = [("10.50.0.100", "10.50.0.200")]
    ) -> String {
        var parts = [#""ipSubnet":{"ip":{"value":"\#(prefix)"},"prefixLength":\#(length)}"#]
        if let gateway { parts.append(#""defaultGatewayIp":{"value":"\#(gateway)"}"#) }
        let list = pools.map { #"{"startIp":{"value":"\#($0.0)"},"endIp":{"value":"\#($0.1)"}}"# }
        parts.append(#""poolList":[\#(list.joined(separator: ","))]"#)
        return #""ipConfig":[{"ipv4":{\#(parts.joined(separator: ","))}}]"#
    }

    static func vlan(_ config: String = ipv4(), extra: String = "") -> String {
        #"{"name":"vlan-test","subnetType":"VLAN","networkId":300,"clusterReference":"\#(clusterA)",\#(config)\#(extra)}"#
    }

    func total(_ app: PrismMockApp) -> JSON? {
        app.call("GET", "\(subnets)?%24limit=1").json.value(atPath: "metadata/totalAvailableResults")
    }

    func problems(_ r: Reply) -> [String] {
        (r.json.value(atPath: "data/error/validationErrorMessages")?.arrayValue ?? []).compactMap {
            $0["attributePath"]?.stringValue
        }
    }

    @Test func aValidSubnetIsCreatedUpdatedAndDeletedAsTasks() throws {
        let app = try TestApp.make()
        let r = app.call("POST", subnets, body: Self.vlan())
        #expect(r.status == 202)
        let task = app.call(
            "GET", "/api/prism/v4.4/config/tasks/\(r.json.value(atPath: "data/extId")?.stringValue ?? "")")
        #expect(task.json.value(atPath: "data/status") == .string("SUCCEEDED"))
        let affected = task.json.value(atPath: "data/entitiesAffected")?.arrayValue ?? []
        let id = try #require(
            affected.first { $0["rel"] == .string("networking:config:subnet") }?["extId"]?.stringValue)
        let got = app.call("GET", "\(subnets)/\(id)")
        #expect(got.json.value(atPath: "data/networkId") == .int(300))
        let etag = try #require(got.header("ETag"))
        // An update is checked against what the subnet will be: a pool outside the stored prefix.
        let bad = app.call(
            "PUT", "\(subnets)/\(id)",
            body: #"{"name":"vlan-test",\#(Self.ipv4(pools: [("10.60.0.1", "10.60.0.9")]))}"#,
            headers: [("If-Match", etag)])
        #expect(bad.status == 400)
        #expect(problems(bad).contains("ipConfig[0].ipv4.poolList[0].startIp.value"))
        let ok = app.call(
            "PUT", "\(subnets)/\(id)", body: Self.vlan(extra: #","description":"changed""#),
            headers: [("If-Match", etag)])
        #expect(ok.status == 202)
        #expect(app.call("GET", "\(subnets)/\(id)").json.value(atPath: "data/description") == .string("changed"))
        let etag2 = try #require(app.call("GET", "\(subnets)/\(id)").header("ETag"))
        #expect(app.call("DELETE", "\(subnets)/\(id)", headers: [("If-Match", etag2)]).status == 202)
        #expect(app.call("GET", "\(subnets)/\(id)").status == 404)
    }

    @Test(arguments: [
        (ipv4(pools: [("10.50.0.200", "10.50.0.100")]), "ipConfig[0].ipv4.poolList[0].startIp.value"),
        (ipv4(pools: [("10.50.0.10", "10.50.1.20")]), "ipConfig[0].ipv4.poolList[0].endIp.value"),
        (ipv4(pools: [("10.49.255.250", "10.50.0.20")]), "ipConfig[0].ipv4.poolList[0].startIp.value"),
        (ipv4(gateway: "10.51.0.1"), "ipConfig[0].ipv4.defaultGatewayIp.value"),
        (ipv4(gateway: "10.50.0.150"), "ipConfig[0].ipv4.defaultGatewayIp.value"),
        (ipv4(pools: [("10.50.0.10", "10.50.0.50"), ("10.50.0.40", "10.50.0.60")]), "ipConfig[0].ipv4.poolList[1]"),
        (ipv4(prefix: "10.50.0.300"), "ipConfig[0].ipv4.ipSubnet.ip.value"),
        (ipv4(length: 33), "ipConfig[0].ipv4.ipSubnet.prefixLength"),
        (ipv4(pools: [("10.50.0.010", "10.50.0.20")]), "ipConfig[0].ipv4.poolList[0].startIp.value"),
    ])
    func aBadIPConfigurationIsA400NamingTheField(config: String, field: String) throws {
        let app = try TestApp.make()
        let before = total(app)
        let r = app.call("POST", subnets, body: Self.vlan(config))
        #expect(r.status == 400)
        #expect(r.json.value(atPath: "data/error/$objectType") == .string("networking.v4.error.SchemaValidationError"))
        #expect(problems(r) == [field])
        #expect(total(app) == before)
    }

    @Test func adjacentPoolsAndAGatewayOutsideThemAreFine() throws {
        let app = try TestApp.make()
        let config = Self.ipv4(pools: [("10.50.0.10", "10.50.0.19"), ("10.50.0.20", "10.50.0.29")])
        #expect(app.call("POST", subnets, body: Self.vlan(config)).status == 202)
    }

    @Test func referencesAndFlagsAreChecked() throws {
        let app = try TestApp.make()
        let missing = "00000000-0000-4000-8000-0000000000ee"
        let overlayWithoutVpc = app.call("POST", subnets, body: #"{"name":"o","subnetType":"OVERLAY",\#(Self.ipv4())}"#)
        #expect(problems(overlayWithoutVpc) == ["vpcReference"])
        let unknownVpc = app.call(
            "POST", subnets, body: #"{"name":"o","subnetType":"OVERLAY","vpcReference":"\#(missing)",\#(Self.ipv4())}"#)
        #expect(problems(unknownVpc) == ["vpcReference"])
        let overlay = app.call(
            "POST", subnets, body: #"{"name":"o","subnetType":"OVERLAY","vpcReference":"\#(Self.vpc)",\#(Self.ipv4())}"#
        )
        #expect(overlay.status == 202)
        let unknownCluster = app.call(
            "POST", subnets, body: #"{"name":"v","subnetType":"VLAN","networkId":5,"clusterReference":"\#(missing)"}"#)
        #expect(problems(unknownCluster) == ["clusterReference"])
        #expect(
            problems(app.call("POST", subnets, body: Self.vlan(extra: #","isNatEnabled":true"#))) == ["isNatEnabled"])
        let externalWithoutIPs = app.call(
            "POST", subnets,
            body:
                #"{"name":"e","subnetType":"VLAN","networkId":7,"clusterReference":"\#(Self.clusterA)","isExternal":true}"#
        )
        #expect(problems(externalWithoutIPs) == ["ipConfig"])
        #expect(
            app.call("POST", subnets, body: Self.vlan(extra: #","isExternal":true,"isNatEnabled":true"#)).status == 202)
        #expect(
            problems(app.call("POST", subnets, body: #"{"name":"v","subnetType":"VLAN","networkId":4096}"#)) == [
                "networkId"
            ])
    }

    @Test func aVpcsExternalSubnetMustExistAndBeExternal() throws {
        let app = try TestApp.make()
        let inner = try #require(
            FixtureData.items("networking.config.subnets.json").first {
                $0["isExternal"] != .bool(true)
            }?["extId"]?.stringValue)
        let external = try #require(
            FixtureData.items("networking.config.subnets.json").first {
                $0["isExternal"] == .bool(true)
            }?["extId"]?.stringValue)
        func body(_ subnet: String) -> String {
            #"{"name":"vpc-t","externalSubnets":[{"subnetReference":"\#(subnet)"}]}"#
        }
        #expect(problems(app.call("POST", vpcs, body: body(inner))) == ["externalSubnets[0].subnetReference"])
        #expect(
            problems(app.call("POST", vpcs, body: body("00000000-0000-4000-8000-0000000000ef")))
                == ["externalSubnets[0].subnetReference"])
        #expect(app.call("POST", vpcs, body: body(external)).status == 202)
        let etag = try #require(app.call("GET", "\(vpcs)/\(Self.vpc)").header("ETag"))
        let bad = app.call("PUT", "\(vpcs)/\(Self.vpc)", body: body(inner), headers: [("If-Match", etag)])
        #expect(problems(bad) == ["externalSubnets[0].subnetReference"])
    }

    @Test func ipv4ParsingIsStrict() {
        #expect(IPv4.parse("10.0.0.1") == 0x0A00_0001)
        #expect(IPv4.parse("255.255.255.255") == UInt32.max)
        for bad in [
            "10.0.0", "10.0.0.1.2", "10.0.0.256", "10.0.0.-1", "01.0.0.1", "a.b.c.d", "", "10..0.1", "1.2.3.4 ",
        ] {
            #expect(IPv4.parse(bad) == nil, "\(bad)")
        }
        #expect(IPv4.Prefix(network: 0x0A00_0000, length: 8).contains(0x0AFF_FFFF))
        #expect(!IPv4.Prefix(network: 0x0A00_0000, length: 8).contains(0x0B00_0000))
        #expect(IPv4.Prefix(network: 0, length: 0).contains(UInt32.max))
    }
}

/// What still uses a subnet or VPC keeps it: the delete task fails and nothing is deleted.
struct NetworkingInUseTests {
    let subnets = "/api/networking/v4.4/config/subnets"
    let vpcs = "/api/networking/v4.4/config/vpcs"

    func delete(_ app: PrismMockApp, _ path: String) throws -> JSON {
        let etag = try #require(app.call("GET", path).header("ETag"))
        let r = app.call("DELETE", path, headers: [("If-Match", etag)])
        #expect(r.status == 202)
        return app.call("GET", "/api/prism/v4.4/config/tasks/\(r.json.value(atPath: "data/extId")?.stringValue ?? "")")
            .json["data"] ?? .null
    }

    static func nicSubnets(_ vm: JSON) -> [String] {
        (vm["nics"]?.arrayValue ?? []).compactMap {
            ($0.value(atPath: "networkInfo/subnet/extId") ?? $0.value(atPath: "nicNetworkInfo/subnet/extId"))?
                .stringValue
        }
    }

    @Test func aSubnetWithVmNicsIsNotDeleted() throws {
        let app = try TestApp.make()
        let used = try #require(FixtureData.items("vmm.ahv.config.vms.json").flatMap(Self.nicSubnets).first)
        let task = try delete(app, "\(subnets)/\(used)")
        #expect(task["status"] == .string("FAILED"))
        #expect(task["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("SUBNET_IN_USE"))
        #expect(app.call("GET", "\(subnets)/\(used)").status == 200)
    }

    @Test func aVpcsExternalSubnetIsNotDeletedAndAVpcWithSubnetsIsNotEither() throws {
        let app = try TestApp.make()
        let vpc = try #require(FixtureData.items("networking.config.vpcs.json").first)
        let external = try #require(vpc["externalSubnets"]?.arrayValue?.first?["subnetReference"]?.stringValue)
        let vmSubnets = Set(FixtureData.items("vmm.ahv.config.vms.json").flatMap(Self.nicSubnets))
        #expect(!vmSubnets.contains(external))
        let task = try delete(app, "\(subnets)/\(external)")
        #expect(task["status"] == .string("FAILED"))
        #expect(app.call("GET", "\(subnets)/\(external)").status == 200)

        let vpcId = try #require(vpc["extId"]?.stringValue)
        let overlay = app.call(
            "POST", subnets,
            body: #"{"name":"o","subnetType":"OVERLAY","vpcReference":"\#(vpcId)",\#(NetworkingServiceTests.ipv4())}"#)
        #expect(overlay.status == 202)
        let vpcTask = try delete(app, "\(vpcs)/\(vpcId)")
        #expect(vpcTask["status"] == .string("FAILED"))
        #expect(vpcTask["errorMessages"]?.arrayValue?.first?["errorGroup"] == .string("VPC_IN_USE"))
        #expect(app.call("GET", "\(vpcs)/\(vpcId)").status == 200)
    }

    @Test func expandVpcInlinesTheVpc() throws {
        let app = try TestApp.make()
        let vpcId = try #require(FixtureData.items("networking.config.vpcs.json").first?["extId"]?.stringValue)
        let created = app.call(
            "POST", subnets,
            body: #"{"name":"o2","subnetType":"OVERLAY","vpcReference":"\#(vpcId)",\#(NetworkingServiceTests.ipv4())}"#)
        #expect(created.status == 202)
        let listed = app.call("GET", "\(subnets)?%24expand=vpc&%24limit=100").json["data"]?.arrayValue ?? []
        let overlay = try #require(listed.first { $0["name"] == .string("o2") })
        #expect(overlay.value(atPath: "vpc/extId") == .string(vpcId))
        #expect(overlay.value(atPath: "vpc/$objectType") == .string("networking.v4.config.Vpc"))
        #expect(listed.filter { $0["vpcReference"] == nil }.allSatisfy { $0["vpc"] == nil })
        let id = try #require(overlay["extId"]?.stringValue)
        #expect(
            app.call("GET", "\(subnets)/\(id)?%24expand=vpc").json.value(atPath: "data/vpc/name")
                == FixtureData.items("networking.config.vpcs.json").first?["name"])
    }
}
