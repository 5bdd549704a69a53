import OData

/// 100,000 VM-like documents shaped like `vmm.v4.ahv.config.Vm`, generated deterministically.
enum VMDocuments {
    static let subnets = (0..<20).map { uuid(0x5000 + $0) }
    static let clusters = (0..<4).map { uuid(0xC000 + $0) }

    static func uuid(_ value: Int) -> String {
        let hex = String(value, radix: 16)
        let padded = String(repeating: "0", count: 12 - hex.count) + hex
        return "0005f7bf-3e2b-4a41-8000-\(padded)"
    }

    static let catalog = FieldCatalog([
        "name": .string, "extId": .guid, "numSockets": .integer, "memorySizeBytes": .integer,
        "powerState": .enumeration(EnumType(["ON", "OFF", "PAUSED"], qualifiedName: "vmm.v4.ahv.config.PowerState")),
        "createTime": .datetime, "cluster/extId": .guid,
        "nics": .array(
            .object(
                FieldCatalog([
                    "extId": .guid, "networkInfo/subnet/extId": .guid, "backingInfo/isConnected": .boolean,
                ]))),
    ])

    static func document(_ index: Int) -> (String, String) {
        var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let extId = uuid(index)
        let nics: [JSON] = (0..<(1 + next(3))).map { nic in
            .object([
                "$objectType": .string("vmm.v4.ahv.config.Nic"), "extId": .string(uuid(1_000_000 + index * 4 + nic)),
                "networkInfo": .object(["subnet": .object(["extId": .string(subnets[next(subnets.count)])])]),
                "backingInfo": .object(["isConnected": .bool(next(10) > 0)]),
            ])
        }
        let document: JSON = .object([
            "$objectType": .string("vmm.v4.ahv.config.Vm"), "$reserved": .object(["$fv": .string("v4.r0")]),
            "extId": .string(extId), "name": .string("vm-\(index)"), "numSockets": .int(Int64(1 + next(8))),
            "memorySizeBytes": .int(Int64(1 + next(64)) << 30),
            "powerState": .string(["ON", "OFF", "PAUSED"][next(3)]),
            "createTime": .string("2024-0\(1 + next(9))-1\(next(10))T0\(next(10)):00:00Z"),
            "cluster": .object(["extId": .string(clusters[next(clusters.count)])]),
            "nics": .array(nics), "description": .string("bench vm number \(index)"),
        ])
        return (extId, document.text)
    }
}
