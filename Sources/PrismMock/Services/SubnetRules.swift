import OData
import PrismAPI

/// What Prism Central checks in a subnet's configuration before it accepts the request, each
/// failure naming the attribute (`ipConfig[0].ipv4.poolList[1].startIp`):
/// - `ipSubnet.ip` a valid IPv4 address with a prefix length of 0–32 (the host bits are ignored);
/// - `defaultGatewayIp`, `dhcpServerAddress` and every pool's `startIp`/`endIp` inside that prefix;
/// - a pool's `startIp` ≤ `endIp`, pools not overlapping one another, the gateway in no pool;
/// - an `OVERLAY` subnet names a VPC; a named VPC and cluster exist (`lookup` answers that);
/// - `isNatEnabled` only on an external subnet; an external subnet has an IPv4 prefix and gateway;
/// - a `VLAN` subnet's `networkId` is 0–4095.
struct SubnetRules {
    /// Whether an entity of the given kind (`vpc`, `cluster`) exists.
    var exists: (_ what: Kind, _ extId: String) throws -> Bool

    enum Kind { case vpc, cluster }

    func problems(_ subnet: JSONObject) throws -> [ValidationProblem] {
        var out: [ValidationProblem] = []
        func fail(_ path: String, _ message: String) {
            out.append(ValidationProblem(attributePath: path, message: message))
        }
        let type = subnet["subnetType"]?.stringValue
        let external = subnet["isExternal"]?.boolValue ?? false
        if let vpc = subnet["vpcReference"]?.stringValue {
            if try !exists(.vpc, vpc) { fail("vpcReference", "VPC \(vpc) does not exist") }
        } else if type == "OVERLAY" {
            fail("vpcReference", "an OVERLAY subnet needs the VPC it belongs to")
        }
        if let cluster = subnet["clusterReference"]?.stringValue, try !exists(.cluster, cluster) {
            fail("clusterReference", "cluster \(cluster) does not exist")
        }
        if type == "VLAN", case .int(let id)? = subnet["networkId"], !(0...4095).contains(id) {
            fail("networkId", "a VLAN id is 0–4095, not \(id)")
        }
        if subnet["isNatEnabled"]?.boolValue == true, !external {
            fail("isNatEnabled", "NAT can only be enabled on an external subnet (isExternal)")
        }
        let configs = subnet["ipConfig"]?.arrayValue ?? []
        var hasIPv4Gateway = false
        for (i, config) in configs.enumerated() {
            guard let v4 = config["ipv4"]?.objectValue else { continue }
            hasIPv4Gateway = hasIPv4Gateway || v4["defaultGatewayIp"] != nil
            checkIPv4(v4, path: "ipConfig[\(i)].ipv4", fail)
        }
        if external, !hasIPv4Gateway {
            fail("ipConfig", "an external subnet needs an IPv4 configuration with a default gateway")
        }
        return out
    }

    private func checkIPv4(_ v4: JSONObject, path: String, _ fail: (String, String) -> Void) {
        guard let ip = v4["ipSubnet"]?["ip"]?["value"]?.stringValue, let address = IPv4.parse(ip) else {
            fail("\(path).ipSubnet.ip.value", "needs a valid IPv4 address")
            return
        }
        let lengthValue = v4["ipSubnet"]?["prefixLength"] ?? v4["ipSubnet"]?["ip"]?["prefixLength"]
        guard case .int(let length)? = lengthValue, (0...32).contains(length) else {
            fail("\(path).ipSubnet.prefixLength", "needs a prefix length of 0–32")
            return
        }
        let prefix = IPv4.Prefix(network: address & IPv4.mask(Int(length)), length: Int(length))
        func inside(_ key: String) -> UInt32? {
            guard let value = v4[key] else { return nil }
            guard let text = value["value"]?.stringValue, let a = IPv4.parse(text) else {
                fail("\(path).\(key).value", "needs a valid IPv4 address")
                return nil
            }
            guard prefix.contains(a) else {
                fail("\(path).\(key).value", "\(text) is outside the subnet \(prefix.text)")
                return nil
            }
            return a
        }
        let gateway = inside("defaultGatewayIp")
        _ = inside("dhcpServerAddress")
        var ranges: [(start: UInt32, end: UInt32, index: Int)] = []
        for (j, pool) in (v4["poolList"]?.arrayValue ?? []).enumerated() {
            let at = "\(path).poolList[\(j)]"
            var ends: [UInt32] = []
            for key in ["startIp", "endIp"] {
                guard let text = pool[key]?["value"]?.stringValue, let a = IPv4.parse(text) else {
                    fail("\(at).\(key).value", "needs a valid IPv4 address")
                    continue
                }
                guard prefix.contains(a) else {
                    fail("\(at).\(key).value", "\(text) is outside the subnet \(prefix.text)")
                    continue
                }
                ends.append(a)
            }
            guard ends.count == 2 else { continue }
            guard ends[0] <= ends[1] else {
                fail(
                    "\(at).startIp.value",
                    "the pool starts at \(IPv4.format(ends[0])), after its end \(IPv4.format(ends[1]))")
                continue
            }
            if let other = ranges.first(where: { $0.start <= ends[1] && ends[0] <= $0.end }) {
                fail(at, "overlaps \(path).poolList[\(other.index)]")
            }
            if let gateway, ends[0] <= gateway, gateway <= ends[1] {
                fail("\(path).defaultGatewayIp.value", "the default gateway \(IPv4.format(gateway)) is inside \(at)")
            }
            ranges.append((ends[0], ends[1], j))
        }
    }
}
