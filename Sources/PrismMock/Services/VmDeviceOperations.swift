import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// `/vms/{vmExtId}/<devices>[/{extId}[/$actions/<verb>]]` served from the VM document: reads
/// pick the items out of the VM's array, writes are tasks that edit it (`DocumentEdit`). An
/// item's ETag derives from the VM's revision, so any change to the VM makes it stale;
/// `If-Match` may carry the item's or the VM's ETag (clients send either).
struct VmDeviceOperations {
    let env: AppEnvironment
    let device: VmDevice

    private var tasks: VmTasks { VmTasks(env: env) }
    private var fv: String { env.contract.fv("vmm") }

    func handle(_ ctx: RequestContext) throws -> HTTPResponse? {
        switch ctx.role.kind {
        case .list: return try list(ctx)
        case .get: return try get(ctx)
        case .create: return try create(ctx)
        case .update: return try update(ctx)
        case .delete: return try delete(ctx)
        case .action(let verb, onEntity: true): return try action(ctx, verb)
        default: return nil
        }
    }

    private func vmExtId(_ ctx: RequestContext) -> String { ctx.parameters["vmExtId"] ?? "" }

    // MARK: Reads

    /// The VM and the raw text of each of its items of this device kind.
    private func readVm(_ ctx: RequestContext) throws -> (StoredEntity, [String]) {
        let id = vmExtId(ctx)
        guard let vm = try env.store.get(namespace: "vmm", kind: VmPowerStates.collection, extId: id) else {
            throw V4Error.entityNotFound("vmm", what: VmService.vmRel, extId: id)
        }
        let items = VmDocumentText.member(device.field, in: vm.document).flatMap(VmDocumentText.elements(of:))
        return (vm, items ?? [])
    }

    /// Filtered and sorted in memory (a VM holds a handful of devices); without either, the
    /// items' text goes out as stored.
    private func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let (_, texts) = try readVm(ctx)
        let query = try ListQuery(ctx, contract: env.contract)
        var kept = texts
        if query.odata.filterSyntax != nil || !query.odata.orderBy.isEmpty {
            var parsed = try texts.map { (text: $0, json: try JSON.parse($0)) }.filter { query.odata.matches($0.json) }
            parsed.sort { query.odata.compare($0.json, $1.json) < 0 }
            kept = parsed.map(\.text)
        }
        let start = min(query.odata.offset, kept.count)
        let page = kept[start..<min(kept.count, start + query.limit)]
        return try query.response(
            ctx, documents: page.map { VmDocumentText.removing("$reserved", from: $0) }, total: kept.count, fv: fv)
    }

    private func get(_ ctx: RequestContext) throws -> HTTPResponse {
        let (vm, texts) = try readVm(ctx)
        let id = ctx.parameters["extId"] ?? ""
        let quoted = JSON.quoted(id)
        guard let item = texts.first(where: { VmDocumentText.member("extId", in: $0) == quoted }) else {
            throw notFound(ctx, id)
        }
        let etag = ETag.make(extId: id, revision: vm.revision)
        if let inm = ctx.request.headers["If-None-Match"], ETag.noneMatchHits(inm, current: etag) {
            var headers = HTTPHeaders()
            headers.add("ETag", etag)
            return HTTPResponse(status: 304, headers: headers)
        }
        let body = Envelope.wrap(
            data: Envelope.withReserved(VmDocumentText.removing("$reserved", from: item), fv: fv, etag: etag),
            metadata: Envelope.metadata(paginated: false), objectType: ctx.operation.responseModel, fv: fv)
        var headers = HTTPHeaders()
        headers.add("ETag", etag)
        return .json(200, body, headers: headers)
    }

    // MARK: Writes

    private func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let model = env.contract.catalog.model(named: device.model, in: "vmm")
        var item = DocumentBuilder(model: model, objectType: device.model)
            .create(from: body, extId: VmDevice.newExtId(), now: env.clock())
        device.identify(&item, replacing: false)
        item["$reserved"] = .object(JSONObject([("$fv", .string(fv))]))
        let id = item["extId"]?.stringValue ?? ""
        return try tasks.editVm(ctx, vmExtId: vmExtId(ctx), affected: [.init(extId: id, rel: device.rel, name: nil)]) {
            vm in
            try tasks.checkIfMatch(ctx, vm: vm)
            return [.append(device.field, .object(item))]
        }
    }

    private func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let model = env.contract.catalog.model(named: device.model, in: "vmm")
        return try change(ctx) { existing in
            var item = DocumentBuilder(model: model, objectType: device.model)
                .update(existing: existing, with: body, now: env.clock())
            if device.field == "nics" { VmNicNetwork.mirror(&item, given: body) }
            device.identify(&item, replacing: false)
            item["$reserved"] = .object(JSONObject([("$fv", .string(fv))]))
            return .replace(device.field, .object(item))
        }
    }

    private func delete(_ ctx: RequestContext) throws -> HTTPResponse {
        try change(ctx) { existing in .remove(device.field, extId: existing["extId"]?.stringValue ?? "") }
    }

    private func action(_ ctx: RequestContext, _ verb: String) throws -> HTTPResponse? {
        let body: JSONObject = ctx.operation.requestBody == nil ? JSONObject() : try env.engine.requestObject(ctx)
        let edit: (JSONObject) throws -> JSONObject
        switch (device.field, verb) {
        case ("cdRoms", "insert"):
            // Prism Central refuses an insert without media in the task, as it does a bad image.
            guard var backing = body["backingInfo"]?.objectValue else {
                return try failing(ctx, .error(
                    "vmm", 400, 20, "INVALID_ARGUMENT", "insert needs backingInfo: the ISO image or disk to insert",
                    [("argument", "backingInfo")]))
            }
            if backing["diskExtId"] == nil { backing["diskExtId"] = .string(VmDevice.newExtId()) }
            edit = { item in
                var item = item
                item["backingInfo"] = .object(backing)
                return item
            }
        case ("cdRoms", "eject"):
            edit = { item in
                var item = item
                item["backingInfo"] = nil
                return item
            }
        case ("nics", "assign-ip"):
            guard let ip = try body["ipAddress"] ?? poolAddress(ctx) else {
                return try failing(ctx, .error(
                    "vmm", 409, 21, "NO_IP_POOL", "the NIC's subnet has no IP pool to assign an address from",
                    [("extId", ctx.parameters["extId"] ?? "")]))
            }
            edit = { VmNicNetwork.assign(ip, in: $0, fv: fv) }
        case ("nics", "release-ip"):
            edit = { VmNicNetwork.release(in: $0) }
        case ("nics", "migrate"):
            guard let subnet = body["subnet"] else { throw missing(ctx, "subnet") }
            let release = body["migrateType"]?.stringValue == "RELEASE_IP"
            let ip = body["ipAddress"]
            edit = { item in
                var nic = VmNicNetwork.set("subnet", subnet, in: item)
                nic = release ? VmNicNetwork.release(in: nic) : nic
                if !release, let ip { nic = VmNicNetwork.assign(ip, in: nic, fv: fv) }
                return nic
            }
        case ("disks", "add-custom-attributes"), ("disks", "remove-custom-attributes"):
            let given = (body["customAttributes"]?.arrayValue ?? []).compactMap(\.stringValue)
            let adding = verb.hasPrefix("add")
            edit = { item in
                var item = item
                var attributes = (item["customAttributes"]?.arrayValue ?? []).compactMap(\.stringValue)
                if adding {
                    for a in given where !attributes.contains(a) { attributes.append(a) }
                } else {
                    attributes.removeAll { given.contains($0) }
                }
                item["customAttributes"] = attributes.isEmpty ? nil : .array(attributes.map { .string($0) })
                return item
            }
        default:
            return nil
        }
        return try change(ctx) { existing in .replace(device.field, .object(try edit(existing))) }
    }

    /// An address from the pool of the subnet the NIC is on, when it has one.
    private func poolAddress(_ ctx: RequestContext) throws -> JSON? {
        let id = ctx.parameters["extId"] ?? ""
        guard let (_, texts) = try? readVm(ctx),
            let nic = texts.lazy.compactMap({ try? JSON.parse($0) }).first(where: { $0["extId"]?.stringValue == id }),
            let subnetId = VmNicNetwork.subnet(of: nic),
            let subnet = try env.store.get(namespace: "networking", kind: EntityReferences.subnets, extId: subnetId)
        else { return nil }
        return VmNicNetwork.poolAddress(subnet: try JSON.parse(subnet.document), nicExtId: id)
    }

    /// A task that fails with `message` and changes nothing (the item must still exist now).
    private func failing(_ ctx: RequestContext, _ message: TaskMessage) throws -> HTTPResponse {
        var faulted = ctx
        faulted.taskFault = faulted.taskFault ?? TaskFault(message: message)
        return try change(faulted) { existing in .replace(device.field, .object(existing)) }
    }

    /// A task that changes the item the path names: the VM and the item must exist now, and
    /// the item still when the task completes.
    private func change(_ ctx: RequestContext, _ makeEdit: (JSONObject) throws -> DocumentEdit) throws -> HTTPResponse {
        let id = ctx.parameters["extId"] ?? ""
        return try tasks.editVm(ctx, vmExtId: vmExtId(ctx), affected: [.init(extId: id, rel: device.rel, name: nil)]) {
            vm in
            let items = try JSON.parse(vm.document)[device.field]?.arrayValue ?? []
            guard let item = items.first(where: { $0["extId"]?.stringValue == id })?.objectValue else {
                throw notFound(ctx, id)
            }
            try tasks.checkIfMatch(
                ctx, tags: [ETag.make(extId: id, revision: vm.revision), ETag.make(extId: vm.extId, revision: vm.revision)],
                extId: id)
            return [try makeEdit(item)]
        }
    }

    private func notFound(_ ctx: RequestContext, _ id: String) -> V4Error {
        return V4Error.entityNotFound("vmm", what: device.rel, extId: id)
    }

    private func missing(_ ctx: RequestContext, _ field: String) -> V4Error {
        V4Error.schema(
            "vmm", path: String(ctx.request.path),
            [ValidationProblem(attributePath: field, message: "is required by \(ctx.operation.operationId)")])
    }
}
