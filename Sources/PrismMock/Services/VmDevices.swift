import FoundationEssentials
import OData

/// A VM's devices: disks, NICs, CD-ROMs, GPUs, serial ports and PCIe devices. Each is both an
/// array of the VM document and a sub-resource (`/vms/{vmExtId}/disks/{extId}`). The VM document
/// is the only copy: a sub-resource read picks the item out of it and a sub-resource write is a
/// task that edits that array, so the two views cannot drift and deleting a VM deletes its
/// devices.
struct VmDevice: Sendable {
    /// The sub-collection's last path segment (`cd-roms`).
    var segment: String
    /// The VM member holding the items (`cdRoms`).
    var field: String
    /// `entitiesAffected[].rel` of an item, as clients match it (real-clients.md §2.4).
    var rel: String
    var model: String

    static let all: [VmDevice] = [
        VmDevice(segment: "disks", field: "disks", rel: "vmm:ahv:config:vm:disk", model: "vmm.v4.ahv.config.Disk"),
        VmDevice(segment: "nics", field: "nics", rel: "vmm:ahv:config:vm:nic", model: "vmm.v4.ahv.config.Nic"),
        VmDevice(segment: "cd-roms", field: "cdRoms", rel: "vmm:ahv:config:vm:cdrom", model: "vmm.v4.ahv.config.CdRom"),
        VmDevice(segment: "gpus", field: "gpus", rel: "vmm:ahv:config:vm:gpu", model: "vmm.v4.ahv.config.Gpu"),
        VmDevice(segment: "serial-ports", field: "serialPorts", rel: "vmm:ahv:config:vm:serialport", model: "vmm.v4.ahv.config.SerialPort"),
        VmDevice(segment: "pcie-devices", field: "pcieDevices", rel: "vmm:ahv:config:vm:pciedevice", model: "vmm.v4.ahv.config.PcieDevice"),
    ]

    /// The device a store collection key names (`vmm:ahv/config/vms/{}/disks`).
    static func forCollection(_ collection: String) -> VmDevice? {
        guard collection.hasPrefix(VmPowerStates.collection + "/{}/") else { return nil }
        let last = collection.split(separator: "/").last.map(String.init) ?? ""
        return all.first { $0.segment == last }
    }

    static func newExtId() -> String { UUID().uuidString.lowercased() }

    /// Gives every device of a VM document an extId (and a NIC a MAC address, a disk a backing
    /// extId) where it has none; with `replacing`, new ones for all (a new VM, a clone).
    static func identify(_ vm: inout JSONObject, replacing: Bool) {
        for device in all {
            guard let items = vm[device.field]?.arrayValue else { continue }
            vm[device.field] = .array(
                items.map { item in
                    guard var o = item.objectValue else { return item }
                    device.identify(&o, replacing: replacing)
                    return .object(o)
                })
        }
    }

    /// One item: its extId, and what Prism Central fills in for the device kind.
    func identify(_ item: inout JSONObject, replacing: Bool) {
        if replacing || item["extId"]?.stringValue == nil { item["extId"] = .string(VmDevice.newExtId()) }
        switch field {
        case "nics":
            for key in ["backingInfo", "nicBackingInfo"] {
                guard var backing = item[key]?.objectValue else { continue }
                if replacing || backing["macAddress"]?.stringValue == nil {
                    backing["macAddress"] = .string(VmDevice.macAddress(item["extId"]?.stringValue ?? ""))
                }
                item[key] = .object(backing)
            }
        case "disks":
            guard var backing = item["backingInfo"]?.objectValue,
                backing["$objectType"]?.stringValue == "vmm.v4.ahv.config.VmDisk"
            else { return }
            if replacing || backing["diskExtId"]?.stringValue == nil {
                backing["diskExtId"] = .string(VmDevice.newExtId())
            }
            item["backingInfo"] = .object(backing)
        default:
            break
        }
    }

    /// A locally administered Nutanix-style MAC (`50:6b:8d:…`) derived from the NIC's extId, so
    /// two NICs differ.
    static func macAddress(_ seed: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for b in seed.utf8 { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let bytes = [UInt8(truncatingIfNeeded: hash >> 16), UInt8(truncatingIfNeeded: hash >> 8), UInt8(truncatingIfNeeded: hash)]
        return "50:6b:8d:" + bytes.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: ":")
    }
}
