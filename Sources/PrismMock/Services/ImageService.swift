import EntityStore
import HTTPServer
import OData
import PrismAPI

/// Images (vmm content) as Prism Central imports them: the create task fills in `sizeBytes`
/// from the source, a `VmDiskSource` must name an existing VM disk (the image takes its size),
/// and every `clusterLocationExtIds` entry must be a cluster. A source or location that does not
/// resolve fails the task with a VMM error and creates nothing, as the real import task does;
/// the request itself is still accepted (202). Updates go through the generic engine (If-Match)
/// with the same location check.
struct ImageService: Service {
    let env: AppEnvironment

    static let vms = "vmm:ahv/config/vms"
    static let images = "vmm:content/images"

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "vmm" else { return nil }
        switch ctx.operation.operationId {
        case "createImage": return try create(&ctx)
        case "updateImageById": return try update(&ctx)
        default: return nil
        }
    }

    private func create(_ ctx: inout RequestContext) throws -> HTTPResponse {
        var body = try env.engine.requestObject(ctx)
        var problem = try missingLocation(body)
        if problem == nil {
            switch try sourceSize(body["source"]) {
            case .size(let bytes): body["sizeBytes"] = .int(bytes)
            case .failure(let message): problem = message
            case .none: break
            }
        }
        var inner = ctx.withBody(body)
        if let problem, inner.taskFault == nil { inner.taskFault = TaskFault(message: problem) }
        return try env.engine.create(&inner)
    }

    /// The size and source are what the import found: a PUT keeps them (the SDK sends back what
    /// it read, a hand-written body may leave them out).
    private func update(_ ctx: inout RequestContext) throws -> HTTPResponse {
        var body = try env.engine.requestObject(ctx)
        if let extId = ctx.parameters["extId"],
            let stored = try env.store.get(namespace: "vmm", kind: ImageService.images, extId: extId),
            let doc = try? JSON.parse(stored.document)
        {
            body["sizeBytes"] = doc["sizeBytes"]
            if body["source"] == nil { body["source"] = doc["source"] }
            if body["checksum"] == nil { body["checksum"] = doc["checksum"] }
        }
        var inner = ctx.withBody(body)
        if let problem = try missingLocation(body), inner.taskFault == nil {
            inner.taskFault = TaskFault(message: problem)
        }
        return try env.engine.update(&inner)
    }

    private func missingLocation(_ body: JSONObject) throws -> TaskMessage? {
        for id in body["clusterLocationExtIds"]?.arrayValue ?? [] {
            let extId = id.stringValue ?? ""
            if try env.store.get(namespace: "clustermgmt", kind: TaskEffect.clusters, extId: extId) == nil {
                return .error(
                    "vmm", 404, 3, "CLUSTER_NOT_FOUND",
                    "Image placement failed: cluster \(extId) in clusterLocationExtIds does not exist",
                    [("clusterExtId", extId)])
            }
        }
        return nil
    }

    enum SourceOutcome {
        case size(Int64)
        case failure(TaskMessage)
    }

    /// What the import would find at the source; nil for a source without a size to derive.
    private func sourceSize(_ source: JSON?) throws -> SourceOutcome? {
        guard let source, let type = source["$objectType"]?.stringValue else { return nil }
        switch type {
        case "vmm.v4.content.UrlSource":
            return source["url"]?.stringValue.map { .size(ImageService.plausibleSize(of: $0)) }
        case "vmm.v4.content.ObjectsLiteSource":
            return source["key"]?.stringValue.map { .size(ImageService.plausibleSize(of: $0)) }
        case "vmm.v4.content.VmDiskSource":
            return try vmDiskSize(
                diskExtId: source["extId"]?.stringValue ?? "", vmExtId: source["vmExtId"]?.stringValue)
        default:
            return nil
        }
    }

    private func vmDiskSize(diskExtId: String, vmExtId: String?) throws -> SourceOutcome {
        var candidates: [StoredEntity] = []
        if let vmExtId {
            guard let vm = try env.store.get(namespace: "vmm", kind: ImageService.vms, extId: vmExtId) else {
                return .failure(
                    .error(
                        "vmm", 404, 4, "VM_NOT_FOUND", "VM \(vmExtId) of the image source does not exist",
                        [("vmExtId", vmExtId)]))
            }
            candidates = [vm]
        } else {
            candidates = try env.store.list(namespace: "vmm", kind: ImageService.vms, limit: 1_000_000).entities
        }
        for vm in candidates {
            for disk in (try? JSON.parse(vm.document))?["disks"]?.arrayValue ?? []
            where disk["extId"]?.stringValue == diskExtId {
                guard case .int(let bytes)? = disk.value(atPath: "backingInfo/diskSizeBytes") else {
                    return .failure(
                        .error(
                            "vmm", 400, 5, "INVALID_IMAGE_SOURCE",
                            "Disk \(diskExtId) of VM \(vm.extId) is not a VM disk with a size (volume group disk?)",
                            [("diskExtId", diskExtId)]))
                }
                return .size(bytes)
            }
        }
        return .failure(
            .error(
                "vmm", 404, 5, "VM_DISK_NOT_FOUND",
                "Disk \(diskExtId) of the image source does not exist\(vmExtId.map { " on VM \($0)" } ?? "")",
                [("diskExtId", diskExtId)]))
    }

    /// The size an import of `location` reports: deterministic, between 256 MiB and 8 GiB in
    /// whole MiB, taken from the first four bytes (big-endian) of the location's SHA-256:
    /// `(256 + h % 7937) * 1 MiB`. pcmock downloads nothing.
    static func plausibleSize(of location: String) -> Int64 {
        let digest = SHA256.hash(Array(location.utf8))
        let h = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return (256 + Int64(h % 7937)) * 1_048_576
    }
}
