import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// AHV VMs beyond generic CRUD: device sub-resources kept inside the VM document
/// (`VmDevice`), `clone`, `revert` (`VmRevert`), guest tools (`VmGuestTools`), category
/// association, device extIds on create, and a PUT that leaves devices and categories to their
/// own operations. Power actions stay with the generic engine
/// (`VmPowerStates`). References a VM change adds (subnet, image, category, container) are
/// checked when its task completes (`EntityReferences`).
struct VmService: Service {
    let env: AppEnvironment

    static let vmRel = "vmm:ahv:config:vm"
    /// Operations pcmock does not model, with why: an explicit 501 rather than a task that
    /// succeeds without doing anything.
    static let unmodelled: [String: String] = [
        "enableVmDiskHydration": "disk hydration from external storage is not modelled",
        "disableVmDiskHydration": "disk hydration from external storage is not modelled",
        "enableVmCdRomHydration": "disk hydration from external storage is not modelled",
        "disableVmCdRomHydration": "disk hydration from external storage is not modelled",
        "generateConsoleTokenById": "a mock VM has no console to open",
        "transferFilesToGuest": "a mock VM has no guest file system to copy files into",
    ]
    static let notImplemented = Set(unmodelled.keys)

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "vmm" else { return nil }
        if ctx.role.collection == VmRevert.recoveryPoints, ctx.role.kind == .create {
            return try VmRevert(env: env).createRecoveryPoint(ctx)
        }
        guard ctx.role.collection.hasPrefix(VmPowerStates.collection) else { return nil }
        // Every unmodelled operation is a POST action (VmServiceTests); a GET skips the hash.
        if ctx.request.method != "GET", let reason = VmService.unmodelled[ctx.operation.operationId] {
            throw V4Error.notImplemented("vmm", "\(ctx.operation.operationId) is not implemented by pcmock: \(reason)")
        }
        if let device = VmDevice.forCollection(ctx.role.collection) {
            return try VmDeviceOperations(env: env, device: device).handle(ctx)
        }
        if ctx.role.collection == VmGuestTools.collection { return try VmGuestTools(env: env).handle(ctx) }
        guard ctx.role.collection == VmPowerStates.collection else { return nil }
        switch ctx.role.kind {
        case .create: return try create(ctx)
        case .update:
            // Devices and categories change through their own operations; a PUT keeps them.
            return try env.engine.update(&ctx) { existing, doc in
                for field in VmDevice.all.map(\.field) + ["categories"] { doc[field] = existing[field] }
            }
        case .action(verb: "clone", onEntity: true): return try VmClone(env: env).clone(ctx)
        case .action(verb: "revert", onEntity: true): return try VmRevert(env: env).revert(ctx)
        case .action(verb: "associate-categories", onEntity: true): return try categories(ctx, associate: true)
        case .action(verb: "disassociate-categories", onEntity: true): return try categories(ctx, associate: false)
        case .action(verb: "assign-owner", onEntity: true): return try setMember(ctx, "ownershipInfo") { $0 }
        case .action(verb: "migrate-to-host", onEntity: true): return try setMember(ctx, "host") { $0["host"] }
        case .action(verb: "customize-guest", onEntity: true): return try setMember(ctx, "guestCustomization") { $0 }
        case .action(verb: "migrate-vm-disks", onEntity: true): return try VmMigration(env: env).migrateDisks(ctx)
        case .action(verb: "migrate", onEntity: true): return try VmMigration(env: env).migrateAcrossClusters(ctx)
        case .action(verb: "add-custom-attributes", onEntity: true): return try customAttributes(ctx, adding: true)
        case .action(verb: "remove-custom-attributes", onEntity: true): return try customAttributes(ctx, adding: false)
        default: return nil
        }
    }

    /// A new VM's devices get their extIds (and MACs) from the server, and a new VM is off.
    private func create(_ ctx: RequestContext) throws -> HTTPResponse {
        var body = try env.engine.requestObject(ctx)
        VmDevice.identify(&body, replacing: true)
        if body["powerState"] == nil { body["powerState"] = .string("OFF") }
        var inner = ctx.withBody(body)
        return try env.engine.create(&inner)
    }

    /// `associate-categories` adds the categories not yet there (so repeating it is harmless);
    /// `disassociate-categories` removes those there. A category that does not exist fails the task.
    private func categories(_ ctx: RequestContext, associate: Bool) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let ids = (body["categories"]?.arrayValue ?? []).compactMap { $0["extId"]?.stringValue }
        // An empty list asks for nothing and changes nothing; a reference without an extId is malformed.
        guard ids.count == body["categories"]?.arrayValue?.count ?? 0 else {
            throw V4Error.schema(
                "vmm", path: String(ctx.request.path),
                [ValidationProblem(attributePath: "categories", message: "every category reference needs an extId")])
        }
        let fv = env.contract.fv("vmm")
        let edits = ids.map { id -> DocumentEdit in
            associate
                ? .append("categories", VmService.reference(id, "vmm.v4.ahv.config.CategoryReference", fv: fv), ifAbsent: true)
                : .remove("categories", extId: id, ifPresent: true)
        }
        let tasks = VmTasks(env: env)
        return try tasks.editVm(ctx, vmExtId: ctx.parameters["extId"] ?? "") { vm in
            try tasks.checkIfMatch(ctx, vm: vm)
            return edits
        }
    }

    /// An action that sets one VM member from its body: the new owner (who must exist), the host
    /// to run on (which must exist), the guest customization for the next boot.
    private func setMember(_ ctx: RequestContext, _ field: String, _ value: (JSON) -> JSON?) throws -> HTTPResponse {
        let body = JSON.object(try env.engine.requestObject(ctx))
        let tasks = VmTasks(env: env)
        return try tasks.editVm(ctx, vmExtId: ctx.parameters["extId"] ?? "") { vm in
            try tasks.checkIfMatch(ctx, vm: vm)
            return [.set(field, value(body))]
        }
    }

    /// A VM's `customAttributes`: added once each, or removed.
    private func customAttributes(_ ctx: RequestContext, adding: Bool) throws -> HTTPResponse {
        let given = (try env.engine.requestObject(ctx)["customAttributes"]?.arrayValue ?? []).compactMap(\.stringValue)
        let tasks = VmTasks(env: env)
        return try tasks.editVm(ctx, vmExtId: ctx.parameters["extId"] ?? "") { vm in
            try tasks.checkIfMatch(ctx, vm: vm)
            let current = (VmDocumentText.member("customAttributes", in: vm.document).flatMap { try? JSON.parse($0) })
            var attributes = (current?.arrayValue ?? []).compactMap(\.stringValue)
            if adding {
                for a in given where !attributes.contains(a) { attributes.append(a) }
            } else {
                attributes.removeAll { given.contains($0) }
            }
            return [.set("customAttributes", attributes.isEmpty ? nil : .array(attributes.map { .string($0) }))]
        }
    }

    static func reference(_ extId: String, _ objectType: String, fv: String) -> JSON {
        .object(JSONObject([
            ("extId", .string(extId)), ("$objectType", .string(objectType)),
            ("$reserved", .object(JSONObject([("$fv", .string(fv))]))),
        ]))
    }
}

/// The task plumbing VM operations share: the VM read inside the write, `If-Match`, the task
/// with its effect, the 202.
struct VmTasks {
    let env: AppEnvironment

    /// The VM, or the 404 the operation declares.
    func vm(_ ctx: RequestContext, _ extId: String, in tx: StoreTransaction) throws -> StoredEntity {
        guard let vm = try tx.get(namespace: "vmm", kind: VmPowerStates.collection, extId: extId) else {
            throw V4Error.entityNotFound("vmm", what: VmService.vmRel, extId: extId)
        }
        return vm
    }

    /// `If-Match`, when sent, must be one of `tags` (412 otherwise).
    func checkIfMatch(_ ctx: RequestContext, tags: [String], extId: String) throws {
        guard let header = ctx.request.headers["If-Match"] else { return }
        for raw in header.split(separator: ",") {
            let tag = raw.trimmingSpaces()
            if tag == "*" || tags.contains(String(tag)) { return }
        }
        throw env.engine.preconditionFailed(ctx, extId)
    }

    /// Edits the VM's arrays when the task succeeds. `edits` sees the VM inside the write: it
    /// checks the request against it (`If-Match`, the item named) and says what to change.
    func editVm(
        _ ctx: RequestContext, vmExtId: String, affected: [TaskDocument.Affected] = [],
        edits: (StoredEntity) throws -> [DocumentEdit]
    ) throws -> HTTPResponse {
        try submit(ctx) { tx in
            let vm = try vm(ctx, vmExtId, in: tx)
            let changes = try edits(vm)
            let doc = try JSON.parse(vm.document).objectValue ?? JSONObject()
            var effect = TaskEffect(change: .edit)
            effect.namespace = "vmm"
            effect.kind = VmPowerStates.collection
            effect.extId = vmExtId
            effect.edits = changes
            let vmAffected = TaskDocument.Affected(extId: vmExtId, rel: VmService.vmRel, name: doc["name"]?.stringValue)
            return (effect, [vmAffected] + affected, doc)
        }
    }

    /// `If-Match`, when sent, must be the VM's current ETag.
    func checkIfMatch(_ ctx: RequestContext, vm: StoredEntity) throws {
        try checkIfMatch(ctx, tags: [ETag.make(extId: vm.extId, revision: vm.revision)], extId: vm.extId)
    }

    /// Runs `build` in one store write and records its task; answers 202 with the task reference.
    func submit(
        _ ctx: RequestContext,
        _ build: (StoreTransaction) throws -> (TaskEffect, [TaskDocument.Affected], JSONObject?)
    ) throws -> HTTPResponse {
        let response = try env.store.write { tx -> HTTPResponse in
            var (effect, affected, doc) = try build(tx)
            if let fault = ctx.taskFault { effect.fault = fault }
            let taskId = try env.engine.tasks.submit(
                in: tx,
                TaskLedger.Submission(
                    operation: ctx.operation, affected: affected, owner: ctx.user,
                    clusterExtIds: TaskLedger.clusterExtIds(of: doc), effect: effect))
            let response = env.engine.taskAccepted(ctx, taskId)
            try ctx.runCommitHooks(in: tx, response)
            return response
        }
        env.engine.tasks.submitted()
        return response
    }
}
