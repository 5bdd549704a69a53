import EntityStore
import HTTPServer
import OData
import PrismAPI

/// VM recovery points and `revert`. Creating a recovery point takes a copy of the VM as it is
/// (its `vm` member, and `vmCategories`); `revert` puts the VM's configuration back to that
/// copy when its task succeeds. The recovery point must exist (then and when the task
/// completes) and be one of this VM; one without a copy of the VM (made by other means) cannot
/// be reverted to. A revert keeps the VM's categories and owner unless `overrideSpec` asks for
/// them too, as Prism Central does.
struct VmRevert {
    let env: AppEnvironment

    static let recoveryPoints = "vmm:ahv/config/vm-recovery-points"
    static let rel = "vmm:ahv:config:vm-recovery-point"

    /// Members a revert never changes: identity, bookkeeping, and what is rebuilt by the server.
    static let kept: Set<String> = ["extId", "$objectType", "$reserved", "links", "createTime", "updateTime", "tenantId"]

    func createRecoveryPoint(_ ctx: RequestContext) throws -> HTTPResponse {
        var body = try env.engine.requestObject(ctx)
        var inner = ctx
        if let vmId = body["vmExtId"]?.stringValue,
            let vm = try env.store.get(namespace: "vmm", kind: VmPowerStates.collection, extId: vmId),
            let doc = try JSON.parse(vm.document).objectValue
        {
            body["vm"] = .object(doc)
            let categories = (doc["categories"]?.arrayValue ?? []).compactMap { $0["extId"]?.stringValue }
            body["vmCategories"] = categories.isEmpty ? nil : .array(categories.map { .string($0) })
        } else {
            let vmId = body["vmExtId"]?.stringValue ?? ""
            inner.taskFault = inner.taskFault
                ?? TaskFault(
                    message: .error(
                        "vmm", 404, 40, "VM_NOT_FOUND", "VM \(vmId) to take a recovery point of does not exist",
                        [("vmExtId", vmId)]))
        }
        var rebuilt = inner.withBody(body)
        return try env.engine.create(&rebuilt)
    }

    func revert(_ ctx: RequestContext) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let pointId = body["vmRecoveryPointExtId"]?.stringValue ?? ""
        let categoriesToo = body["overrideSpec"]?["shouldRevertVmCategories"]?.boolValue ?? false
        let ownerToo = body["overrideSpec"]?["shouldRevertVmOwner"]?.boolValue ?? false
        let tasks = VmTasks(env: env)
        let vmId = ctx.parameters["extId"] ?? ""
        return try tasks.submit(ctx) { tx in
            let vm = try tasks.vm(ctx, vmId, in: tx)
            try tasks.checkIfMatch(ctx, vm: vm)
            let doc = try JSON.parse(vm.document).objectValue ?? JSONObject()
            var effect = TaskEffect(change: .edit)
            effect.namespace = "vmm"
            effect.kind = VmPowerStates.collection
            effect.extId = vmId
            var affected = [TaskDocument.Affected(extId: vmId, rel: VmService.vmRel, name: doc["name"]?.stringValue)]
            let point = try tx.get(namespace: "vmm", kind: VmRevert.recoveryPoints, extId: pointId)
            let pointDoc = point.flatMap { try? JSON.parse($0.document) }
            if point == nil {
                effect.fault = TaskFault(
                    message: .error(
                        "vmm", 404, 41, "RECOVERY_POINT_NOT_FOUND", "VM recovery point \(pointId) does not exist",
                        [("vmRecoveryPointExtId", pointId)]))
            } else if pointDoc?["vmExtId"]?.stringValue != vmId {
                effect.fault = TaskFault(
                    message: .error(
                        "vmm", 400, 42, "RECOVERY_POINT_OF_ANOTHER_VM",
                        "VM recovery point \(pointId) is not a recovery point of VM \(vmId)",
                        [("vmRecoveryPointExtId", pointId)]))
            } else if let saved = pointDoc?["vm"]?.objectValue {
                affected.append(.init(extId: pointId, rel: VmRevert.rel, name: pointDoc?["name"]?.stringValue))
                var skip = VmRevert.kept
                if !categoriesToo { skip.insert("categories") }
                if !ownerToo { skip.insert("ownershipInfo") }
                let members = Set(saved.keys).union(doc.keys).subtracting(skip).sorted()
                effect.edits = members.map { DocumentEdit.set($0, saved[$0]) }
                effect.requires = [.init(namespace: "vmm", kind: VmRevert.recoveryPoints, extId: pointId)]
            } else {
                effect.fault = TaskFault(
                    message: .error(
                        "vmm", 409, 43, "RECOVERY_POINT_WITHOUT_VM",
                        "VM recovery point \(pointId) holds no copy of the VM to revert to",
                        [("vmRecoveryPointExtId", pointId)]))
            }
            return (effect, affected, doc)
        }
    }
}
