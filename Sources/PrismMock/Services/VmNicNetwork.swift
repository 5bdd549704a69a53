import OData

/// A NIC's network settings. Newer SDKs read `nicNetworkInfo`, older ones `networkInfo`; a NIC
/// may carry both (the fixtures do), so every change is made to each one present.
enum VmNicNetwork {
    static let keys = ["networkInfo", "nicNetworkInfo"]

    /// The deprecated member, the one that replaced it, and their `$objectType`s for a virtual
    /// ethernet NIC (the only kind the deprecated models describe).
    struct Pair {
        var legacy: String
        var legacyType: String
        var current: String
        var currentType: String
    }

    static let pairs = [
        Pair(
            legacy: "networkInfo", legacyType: "vmm.v4.ahv.config.NicNetworkInfo", current: "nicNetworkInfo",
            currentType: "vmm.v4.ahv.config.VirtualEthernetNicNetworkInfo"),
        Pair(
            legacy: "backingInfo", legacyType: "vmm.v4.ahv.config.EmulatedNic", current: "nicBackingInfo",
            currentType: "vmm.v4.ahv.config.VirtualEthernetNic"),
    ]

    /// Prism Central presents a virtual ethernet NIC under both the deprecated members and
    /// their replacements, whichever one the client wrote, so a client of either SDK generation
    /// reads what the other wrote. The member `given` (the request body) names wins; without
    /// one, a member the NIC lacks is filled from its counterpart. An SR-IOV, passthrough or
    /// DP-offload NIC has no deprecated form and is left as it is.
    static func mirror(_ nic: inout JSONObject, given: JSONObject? = nil) {
        for pair in pairs {
            let source: String
            if let given, given[pair.legacy] != nil, given[pair.current] == nil {
                source = pair.legacy
            } else if let given, given[pair.current] != nil, given[pair.legacy] == nil {
                source = pair.current
            } else if nic[pair.legacy] != nil, nic[pair.current] == nil {
                source = pair.legacy
            } else if nic[pair.current] != nil, nic[pair.legacy] == nil {
                source = pair.current
            } else {
                continue
            }
            guard var value = nic[source]?.objectValue else { continue }
            if source == pair.legacy {
                value["$objectType"] = .string(pair.currentType)
                nic[pair.current] = .object(value)
            } else {
                let type = value["$objectType"]?.stringValue ?? pair.currentType
                guard type == pair.currentType else { continue }
                value["$objectType"] = .string(pair.legacyType)
                // The deprecated model predates IPv6.
                value["ipv6Info"] = nil
                nic[pair.legacy] = .object(value)
            }
        }
    }

    /// Sets `member` of the NIC's network info (creating `networkInfo` when it has none).
    static func set(_ member: String, _ value: JSON?, in nic: JSONObject) -> JSONObject {
        update(nic) { info in info[member] = value }
    }

    /// `assign-ip`: the NIC keeps this IPv4 address.
    static func assign(_ ip: JSON, in nic: JSONObject, fv: String) -> JSONObject {
        update(nic) { info in
            var config = info["ipv4Config"]?.objectValue
                ?? JSONObject([
                    ("$objectType", .string("vmm.v4.ahv.config.Ipv4Config")),
                    ("$reserved", .object(JSONObject([("$fv", .string(fv))]))),
                ])
            config["ipAddress"] = ip
            config["shouldAssignIp"] = .bool(true)
            info["ipv4Config"] = .object(config)
        }
    }

    /// `release-ip`: the NIC's address (configured and learned) is given back.
    static func release(in nic: JSONObject) -> JSONObject {
        update(nic) { info in
            if var config = info["ipv4Config"]?.objectValue {
                config["ipAddress"] = nil
                info["ipv4Config"] = .object(config)
            }
            info["ipv4Info"] = nil
        }
    }

    /// The subnet a NIC is on.
    static func subnet(of nic: JSON) -> String? {
        keys.lazy.compactMap { nic[$0]?["subnet"]?["extId"]?.stringValue }.first
    }

    /// What IPAM hands out when `assign-ip` names no address: one from the subnet's first pool,
    /// chosen by the NIC's extId so that NICs spread over the pool.
    static func poolAddress(subnet: JSON, nicExtId: String) -> JSON? {
        guard let pool = subnet["ipConfig"]?.arrayValue?.first?["ipv4"]?["poolList"]?.arrayValue?.first,
            let start = pool.value(atPath: "startIp/value")?.stringValue.flatMap(IPv4.parse),
            let end = pool.value(atPath: "endIp/value")?.stringValue.flatMap(IPv4.parse), end >= start
        else { return nil }
        var hash: UInt32 = 2_166_136_261
        for b in nicExtId.utf8 { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let address = start + hash % (end - start + 1)
        let text = IPv4.format(address)
        return .object(JSONObject([
            ("value", .string(text)), ("prefixLength", .int(32)), ("$objectType", .string("common.v1.config.IPv4Address")),
            ("$reserved", .object(JSONObject([("$fv", .string("v1.r0"))]))),
        ]))
    }

    private static func update(_ nic: JSONObject, _ change: (inout JSONObject) -> Void) -> JSONObject {
        var nic = nic
        let present = keys.filter { nic[$0]?.objectValue != nil }
        if present.isEmpty {
            var info = JSONObject([("$objectType", .string("vmm.v4.ahv.config.NicNetworkInfo"))])
            change(&info)
            nic["networkInfo"] = .object(info)
            return nic
        }
        for key in present {
            guard var info = nic[key]?.objectValue else { continue }
            change(&info)
            nic[key] = .object(info)
        }
        return nic
    }
}
