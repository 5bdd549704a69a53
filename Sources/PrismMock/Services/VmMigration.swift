import EntityStore
import HTTPServer
import OData
import PrismAPI

/// Moving a VM's storage or the VM itself: `migrate-vm-disks` puts disks on another storage
/// container; `migrate` (cross-cluster) moves the VM to `targetCluster` with the overrides'
/// NICs and container mapping, leaving host placement to the target. The containers and the
/// cluster named must exist when the task completes (`EntityReferences`).
struct VmMigration {
    let env: AppEnvironment

    func migrateDisks(_ ctx: RequestContext) throws -> HTTPResponse {
        let plan = try env.engine.requestObject(ctx)["migrateDisks"]
        // (disk ids or nil for every disk, container)
        var moves: [(disks: Set<String>?, container: JSON)] = []
        if let all = plan?["storageContainer"], plan?["plans"] == nil {
            moves.append((nil, all))
        }
        for p in plan?["plans"]?.arrayValue ?? [] {
            guard let container = p["storageContainer"] else { continue }
            let ids = (p["vmDisks"]?.arrayValue ?? []).compactMap { $0["diskExtId"]?.stringValue }
            moves.append((Set(ids), container))
        }
        let tasks = VmTasks(env: env)
        return try tasks.editVm(ctx, vmExtId: ctx.parameters["extId"] ?? "") { vm in
            try tasks.checkIfMatch(ctx, vm: vm)
            let disks = (try JSON.parse(vm.document)["disks"]?.arrayValue ?? []).compactMap(\.objectValue)
            var edits: [DocumentEdit] = []
            for var disk in disks {
                let ids = [disk["extId"]?.stringValue, disk["backingInfo"]?["diskExtId"]?.stringValue].compactMap { $0 }
                guard let move = moves.last(where: { $0.disks.map { !$0.isDisjoint(with: ids) } ?? true }),
                    var backing = disk["backingInfo"]?.objectValue
                else { continue }
                backing["storageContainer"] = move.container
                disk["backingInfo"] = .object(backing)
                edits.append(.replace("disks", .object(disk)))
            }
            let known = Set(disks.flatMap { [$0["extId"]?.stringValue, $0["backingInfo"]?["diskExtId"]?.stringValue] }.compactMap { $0 })
            for move in moves {
                if let unknown = move.disks?.subtracting(known).first {
                    throw V4Error.entityNotFound("vmm", what: "vmm:ahv:config:vm:disk", extId: unknown)
                }
            }
            return edits
        }
    }

    func migrateAcrossClusters(_ ctx: RequestContext) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let overrides = body["overrides"]
        var mapping: [String: JSON] = [:]
        for m in overrides?["storageContainersMapping"]?.arrayValue ?? [] {
            if let from = m["sourceStorageContainer"]?["extId"]?.stringValue, let to = m["targetStorageContainer"] {
                mapping[from] = to
            }
        }
        let tasks = VmTasks(env: env)
        return try tasks.editVm(ctx, vmExtId: ctx.parameters["extId"] ?? "") { vm in
            try tasks.checkIfMatch(ctx, vm: vm)
            var edits: [DocumentEdit] = []
            if let cluster = body["targetCluster"] {
                edits += [.set("cluster", cluster), .set("host", nil)]
            }
            if var nics = overrides?["overrideNicList"]?.arrayValue.map({ JSONObject([("nics", .array($0))]) }) {
                VmDevice.identify(&nics, replacing: false)
                edits.append(.set("nics", nics["nics"]))
            }
            for disk in (try JSON.parse(vm.document)["disks"]?.arrayValue ?? []).compactMap(\.objectValue) {
                guard var backing = disk["backingInfo"]?.objectValue,
                    let from = backing["storageContainer"]?["extId"]?.stringValue, let to = mapping[from]
                else { continue }
                backing["storageContainer"] = to
                var moved = disk
                moved["backingInfo"] = .object(backing)
                edits.append(.replace("disks", .object(moved)))
            }
            return edits
        }
    }
}
