/// VM-like JSON documents of about 1.5 KB, shaped like a `vmm.v4.ahv.config.Vm`.
enum VMDocument {
    static let namespace = "vmm"
    static let kind = "vmm.v4.ahv.config.Vm"

    static func extId(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        let padded = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return "6a1f3c2e-8d4b-4e9a-b7c1-\(padded)"
    }

    static func json(_ index: Int) -> String {
        let id = extId(index)
        let power = index % 3 == 0 ? "OFF" : "ON"
        return """
            {"$objectType":"vmm.v4.ahv.config.Vm","$reserved":{"$fv":"v4.r1"},"extId":"\(id)",\
            "name":"vm-\(index)","description":"benchmark virtual machine number \(index) of the store bench",\
            "createTime":"2026-01-01T00:00:00Z","updateTime":"2026-01-01T00:00:00Z",\
            "source":{"entityType":"VM","extId":"\(id)"},"numSockets":\(1 + index % 4),"numCoresPerSocket":2,\
            "numThreadsPerCore":1,"memorySizeBytes":\(4_294_967_296 * (1 + index % 8)),"powerState":"\(power)",\
            "machineType":"PC","hardwareClockTimezone":"UTC","isBrandingEnabled":true,"isVcpuHardPinningEnabled":false,\
            "cluster":{"extId":"0005f8a2-1c3d-4e5f-8a9b-\(index % 4)c2d3e4f5a6b"},\
            "host":{"extId":"1b2c3d4e-5f6a-4b7c-8d9e-\(index % 16)f0a1b2c3d4e"},\
            "bootConfig":{"$objectType":"vmm.v4.ahv.config.LegacyBoot","bootOrder":["CDROM","DISK","NETWORK"]},\
            "categories":[{"extId":"c0ffee00-0000-4000-8000-00000000000\(index % 10)"}],\
            "disks":[{"extId":"d1sk0000-0000-4000-8000-\(id.suffix(12))","diskAddress":{"busType":"SCSI","index":0},\
            "backingInfo":{"$objectType":"vmm.v4.ahv.config.VmDisk",\
            "diskSizeBytes":\(10_737_418_240 * (1 + index % 5)),\
            "storageContainer":{"extId":"5c0e7a1b-2d3f-4a5b-9c8d-7e6f5a4b3c2d"}}},\
            {"extId":"d1sk0001-0000-4000-8000-\(id.suffix(12))","diskAddress":{"busType":"IDE","index":0},\
            "backingInfo":{"$objectType":"vmm.v4.ahv.config.VmDisk","diskSizeBytes":1073741824,\
            "storageContainer":{"extId":"5c0e7a1b-2d3f-4a5b-9c8d-7e6f5a4b3c2d"}}}],\
            "nics":[{"extId":"a1c00000-0000-4000-8000-\(id.suffix(12))","backingInfo":{"model":"VIRTIO",\
            "macAddress":"50:6b:8d:\(String(format2: index % 256)):\(String(format2: index / 256 % 256)):01",\
            "isConnected":true},"networkInfo":{"nicType":"NORMAL_NIC","subnet":{"extId":"5b0e7a1b-2d3f-4a5b-9c8d-\
            7e6f5a4b3c2\(index % 8)"},"vlanMode":"ACCESS","ipv4Config":{"shouldAssignIp":true}}}],\
            "guestCustomization":null,"apcConfig":{"isApcEnabled":false},"storageConfig":{"isFlashModeEnabled":false}}
            """
    }
}

extension String {
    /// Two lowercase hex digits.
    init(format2 value: Int) {
        let hex = String(value, radix: 16)
        self = hex.count == 1 ? "0" + hex : hex
    }
}
