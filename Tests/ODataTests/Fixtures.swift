import OData

/// The VM-like catalog and documents the tests filter.
enum Fixtures {
    static let powerState = EnumType(["ON", "OFF", "PAUSED"], qualifiedName: "vmm.v4.ahv.config.PowerState")
    static let busType = EnumType(["SCSI", "IDE", "SATA", "PCI"], qualifiedName: "vmm.v4.ahv.config.DiskBusType")

    static let catalog = FieldCatalog([
        "name": .string,
        "description": .string,
        "extId": .guid,
        "numSockets": .integer,
        "memorySizeBytes": .integer,
        "cpuRatio": .double,
        "isActive": .boolean,
        "powerState": .enumeration(powerState),
        "createTime": .datetime,
        "cluster/extId": .guid,
        "cluster/name": .string,
        "tags": .array(.string),
        "disks": .array(
            .object(
                FieldCatalog([
                    "diskAddress/busType": .enumeration(busType), "sizeBytes": .integer, "index": .integer,
                ]))),
        "nics": .array(
            .object(
                FieldCatalog([
                    "isConnected": .boolean, "ipAddresses": .array(.string),
                ]))),
    ])

    static let names = [
        "vm-1", "VM-1", "web_01", "web%01", "db_test_1", "alpha", "Alpha", "ÅSA-ü", "", "x'y", "  pad ",
        "api_v4", "hostname_test_1",
    ]
    static let clusterIDs = [
        "0005f7bf-3e2b-4a41-0000-000000029d0e", "8A4E0B2C-1111-4C6D-9E8F-0123456789AB",
        "3f1c2d4e-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
    ]
    static let times = [
        "2024-01-01T00:00:00Z", "2024-01-01T05:30:00+05:30", "2023-12-31T23:59:59.999Z",
        "2024-03-01T12:00:00.5-07:00", "2024-03-01T19:00:00.500Z", "2025-06-15T08:09:10.123+02:00",
        "not-a-date", "2024-02-29T00:00:00Z",
    ]
    static let tags = ["prod", "dev", "Prod", "web", "db"]
    static let ips = ["10.0.0.1", "10.0.0.2", "192.168.1.5", "fe80::1"]

    static func document(_ random: inout SeededGenerator, index: Int) -> JSON {
        var fields: [String: JSON] = ["$objectType": .string("vmm.v4.ahv.config.Vm")]
        func maybe(_ key: String, _ value: @autoclosure () -> JSON) {
            let roll = random.int(0, 99)
            if roll < 8 { return }
            fields[key] = roll < 14 ? .null : value()
        }
        let uuid = random.pick(clusterIDs + ["\(index)aaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".suffix(36).description])
        maybe("extId", .string(random.chance(30) ? uuid.uppercased() : uuid))
        maybe("name", .string(random.pick(names)))
        maybe("description", .string(random.pick(names) + random.pick(tags)))
        maybe("numSockets", .int(Int64(random.int(0, 8))))
        maybe("memorySizeBytes", .int(Int64(random.int(1, 64)) << 30))
        maybe(
            "cpuRatio",
            random.chance(20)
                ? .int(Int64(random.int(-2, 3))) : .double(random.pick([0.5, -1.25, 2.5, 3.0, 0.1, -0.5, 1e-3])))
        maybe("isActive", .bool(random.chance(50)))
        maybe("powerState", .string(random.chance(10) ? "SUSPENDED" : random.pick(powerState.members)))
        maybe("createTime", .string(random.pick(times)))
        maybe("cluster", .object(["extId": .string(random.pick(clusterIDs)), "name": .string(random.pick(names))]))
        maybe("tags", .array((0..<random.int(0, 3)).map { _ in .string(random.pick(tags)) }))
        maybe(
            "disks",
            .array(
                (0..<random.int(0, 3)).map { _ in
                    .object([
                        "diskAddress": .object(["busType": .string(random.pick(busType.members))]),
                        "sizeBytes": .int(Int64(random.int(1, 4)) << 30), "index": .int(Int64(random.int(0, 3))),
                    ])
                }))
        maybe(
            "nics",
            .array(
                (0..<random.int(0, 2)).map { _ in
                    .object([
                        "isConnected": .bool(random.chance(50)),
                        "ipAddresses": .array((0..<random.int(0, 2)).map { _ in .string(random.pick(ips)) }),
                    ])
                }))
        return .object(JSONObject(fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
    }
}

extension SeededGenerator {
    mutating func int(_ low: Int, _ high: Int) -> Int { int(low...high) }
}
