import EntityStore
import HTTPServer
import OData
import PrismAPI

/// `/vms/{extId}/guest-tools`: Nutanix Guest Tools state, kept in the VM document's
/// `guestTools` member (a VM GET shows it too). Install, ISO insert, uninstall, upgrade and
/// the PUT each set that member when their task succeeds. What the VM's state rules out
/// (installing twice, upgrading or configuring tools that are not installed) fails the task
/// and changes nothing, as Prism Central fails it.
struct VmGuestTools {
    let env: AppEnvironment

    static let collection = VmPowerStates.collection + "/{}/guest-tools"
    static let field = "guestTools"
    /// The NGT version the mock's clusters offer (the fixtures' `availableVersion`).
    static let availableVersion = "4.1"

    private var fv: String { env.contract.fv("vmm") }

    func handle(_ ctx: RequestContext) throws -> HTTPResponse? {
        switch ctx.operation.operationId {
        case "getGuestToolsById": return try get(ctx)
        case "updateGuestToolsById":
            let body = try env.engine.requestObject(ctx)
            return try change(ctx) { tools in
                guard tools["isInstalled"]?.boolValue == true else { return .failure(notInstalled(ctx)) }
                var tools = tools
                for member in ["isEnabled", "capabilities"] where body[member] != nil { tools[member] = body[member] }
                return .success(tools)
            }
        case "installVmGuestTools":
            let body = try env.engine.requestObject(ctx)
            return try change(ctx) { tools in
                guard tools["isInstalled"]?.boolValue != true else {
                    return .failure(
                        .error(
                            "vmm", 409, 30, "GUEST_TOOLS_ALREADY_INSTALLED",
                            "Nutanix Guest Tools are already installed on VM \(vmExtId(ctx))",
                            [("extId", vmExtId(ctx))]))
                }
                var tools = tools
                tools["isInstalled"] = .bool(true)
                tools["isEnabled"] = .bool(true)
                tools["isIsoInserted"] = .bool(false)
                tools["version"] = .string(VmGuestTools.availableVersion)
                if let capabilities = body["capabilities"] { tools["capabilities"] = capabilities }
                return .success(tools)
            }
        case "insertVmGuestTools":
            let body = try env.engine.requestObject(ctx)
            return try change(ctx) { tools in
                var tools = tools
                tools["isIsoInserted"] = .bool(true)
                if let capabilities = body["capabilities"] { tools["capabilities"] = capabilities }
                return .success(tools)
            }
        case "uninstallVmGuestTools":
            return try change(ctx) { tools in
                guard tools["isInstalled"]?.boolValue == true else { return .failure(notInstalled(ctx)) }
                var tools = tools
                for member in ["isInstalled", "isEnabled", "isReachable", "isVssSnapshotCapable"] {
                    tools[member] = .bool(false)
                }
                tools["version"] = nil
                tools["capabilities"] = nil
                return .success(tools)
            }
        case "upgradeVmGuestTools":
            return try change(ctx) { tools in
                guard tools["isInstalled"]?.boolValue == true else { return .failure(notInstalled(ctx)) }
                var tools = tools
                tools["version"] = .string(VmGuestTools.availableVersion)
                return .success(tools)
            }
        default:
            return nil
        }
    }

    private func vmExtId(_ ctx: RequestContext) -> String { ctx.parameters["extId"] ?? "" }

    /// The member, or what a VM without guest tools reports.
    private func tools(of vm: StoredEntity) -> JSONObject {
        let text = VmDocumentText.member(VmGuestTools.field, in: vm.document)
        if let text, let tools = (try? JSON.parse(text))?.objectValue { return tools }
        return JSONObject([
            ("$objectType", .string("vmm.v4.ahv.config.GuestTools")),
            ("$reserved", .object(JSONObject([("$fv", .string(fv))]))),
            ("availableVersion", .string(VmGuestTools.availableVersion)),
            ("isEnabled", .bool(false)), ("isInstalled", .bool(false)), ("isIsoInserted", .bool(false)),
        ])
    }

    private func get(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = vmExtId(ctx)
        guard let vm = try env.store.get(namespace: "vmm", kind: VmPowerStates.collection, extId: id) else {
            throw V4Error.entityNotFound("vmm", what: VmService.vmRel, extId: id)
        }
        var tools = tools(of: vm)
        tools["$reserved"] = nil
        let etag = ETag.make(extId: id, revision: vm.revision)
        let body = Envelope.wrap(
            data: Envelope.withReserved(JSON.object(tools).text, fv: fv, etag: etag),
            metadata: Envelope.metadata(paginated: false), objectType: ctx.operation.responseModel, fv: fv)
        var headers = HTTPHeaders()
        headers.add("ETag", etag)
        return .json(200, body, headers: headers)
    }

    private func notInstalled(_ ctx: RequestContext) -> TaskMessage {
        .error(
            "vmm", 409, 31, "GUEST_TOOLS_NOT_INSTALLED",
            "Nutanix Guest Tools are not installed on VM \(vmExtId(ctx))", [("extId", vmExtId(ctx))])
    }

    /// A task that sets the VM's `guestTools` to what `next` makes of the current value, or
    /// fails with its message and changes nothing. `If-Match`, when sent, is the VM's ETag
    /// (the guest tools' ETag is the same).
    private func change(_ ctx: RequestContext, _ next: (JSONObject) -> Result<JSONObject, TaskFailure>) throws
        -> HTTPResponse
    {
        let tasks = VmTasks(env: env)
        return try tasks.submit(ctx) { tx in
            let vm = try tasks.vm(ctx, vmExtId(ctx), in: tx)
            try tasks.checkIfMatch(ctx, vm: vm)
            let doc = try JSON.parse(vm.document).objectValue ?? JSONObject()
            var effect = TaskEffect(change: .edit)
            effect.namespace = "vmm"
            effect.kind = VmPowerStates.collection
            effect.extId = vm.extId
            switch next(tools(of: vm)) {
            case .success(let tools): effect.edits = [.set(VmGuestTools.field, .object(tools))]
            case .failure(let failure): effect.fault = TaskFault(message: failure.message)
            }
            let affected = TaskDocument.Affected(extId: vm.extId, rel: VmService.vmRel, name: doc["name"]?.stringValue)
            return (effect, [affected], doc)
        }
    }
}

/// Why a task will fail, as a `Result` failure.
struct TaskFailure: Error {
    var message: TaskMessage
}

extension Result where Failure == TaskFailure {
    static func failure(_ message: TaskMessage) -> Self { .failure(TaskFailure(message: message)) }
}
