import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// `POST /vms/{extId}/$actions/clone`: a new VM from the source's document, with new extIds for
/// the VM and every device, the overrides of `CloneOverrideParams`, powered off, and `source`
/// naming the VM it came from. The task lists the new VM and the source (both
/// `vmm:ahv:config:vm`; nutanix.ansible takes the one that is not the source) and names the new
/// VM in `completionDetails` (`vmExtId`), as a create does.
struct VmClone {
    let env: AppEnvironment

    /// Members of `CloneOverrideParams` that replace the source's value as given.
    static let overrides = ["name", "numSockets", "numCoresPerSocket", "numThreadsPerCore", "memorySizeBytes", "bootConfig"]

    func clone(_ ctx: RequestContext) throws -> HTTPResponse {
        let body = ctx.request.body.isEmpty ? JSONObject() : try env.engine.requestObject(ctx)
        let sourceId = ctx.parameters["extId"] ?? ""
        let newId = UUID().uuidString.lowercased()
        let now = env.clock()
        let tasks = VmTasks(env: env)
        return try tasks.submit(ctx) { tx in
            let source = try tasks.vm(ctx, sourceId, in: tx)
            try tasks.checkIfMatch(ctx, vm: source)
            let doc = VmClone.document(
                from: try JSON.parse(source.document).objectValue ?? JSONObject(), overrides: body, extId: newId,
                now: now, fv: env.contract.fv("vmm"))
            var effect = TaskEffect(change: .insert)
            effect.namespace = "vmm"
            effect.kind = VmPowerStates.collection
            effect.extId = newId
            effect.document = JSON.object(doc).text
            effect.owner = ctx.user.name
            effect.completionDetails = [("vmExtId", newId)]
            effect.requires = [.init(namespace: "vmm", kind: VmPowerStates.collection, extId: sourceId)]
            let sourceName = (try? JSON.parse(source.document))?["name"]?.stringValue
            let affected: [TaskDocument.Affected] = [
                .init(extId: newId, rel: VmService.vmRel, name: doc["name"]?.stringValue),
                .init(extId: sourceId, rel: VmService.vmRel, name: sourceName),
            ]
            return (effect, affected, doc)
        }
    }

    static func document(from source: JSONObject, overrides body: JSONObject, extId: String, now: Date, fv: String)
        -> JSONObject
    {
        var doc = source
        doc["extId"] = .string(extId)
        for key in overrides { if let value = body[key] { doc[key] = value } }
        if let nics = body["nics"] { doc["nics"] = nics }
        if let customization = body["guestCustomization"] { doc["guestCustomization"] = customization }
        // Identity, placement and run state are the new VM's own.
        doc["biosUuid"] = .string(extId)
        doc["generationUuid"] = .string(UUID().uuidString.lowercased())
        doc["powerState"] = .string("OFF")
        doc["host"] = nil
        doc["links"] = nil
        doc["source"] = .object(JSONObject([
            ("entityType", .string("VM")), ("extId", source["extId"] ?? .null),
            ("$objectType", .string("vmm.v4.ahv.config.VmSourceReference")),
            ("$reserved", .object(JSONObject([("$fv", .string(fv))]))),
        ]))
        let time = JSON.string(Timestamp.rfc3339(now))
        doc["createTime"] = time
        doc["updateTime"] = time
        VmDevice.identify(&doc, replacing: true)
        // A cloned NIC gets its address from IPAM again, not the source's.
        if let nics = doc["nics"]?.arrayValue, body["nics"] == nil {
            doc["nics"] = .array(nics.map { nic in nic.objectValue.map { .object(VmNicNetwork.release(in: $0)) } ?? nic })
        }
        return doc
    }
}
