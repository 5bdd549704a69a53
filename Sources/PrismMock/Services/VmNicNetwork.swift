import OData

/// A NIC's network settings. Newer SDKs read `nicNetworkInfo`, older ones `networkInfo`; a NIC
/// may carry both (the fixtures do), so every change is made to each one present.
enum VmNicNetwork {
    static let keys = ["networkInfo", "nicNetworkInfo"]

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
