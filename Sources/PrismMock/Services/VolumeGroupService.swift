import EntityStore
import HTTPServer
import OData
import PrismAPI

/// Volume groups: `$expand=cluster` inlines the cluster a group lives on (as `cluster`, next to
/// `clusterReference`), and `attach-vm` / `detach-vm` change the group's `vm-attachments`
/// when their task succeeds. The VM must exist, a VM is attached to a group at most once, and
/// only an attached VM can be detached: otherwise the task fails with a VOLUMES error and
/// nothing changes (the request itself is accepted, as Prism Central's are).
///
/// Attachment rows of one group are children of it; rows created here are stored under
/// `<group extId>:<vm extId>` (the document's `extId` is the VM's), so one VM can be attached to
/// several groups.
///
/// Categories (`associate-category` / `disassociate-category`) are kept in the group document's
/// `categories` member, edited when the task succeeds (`VolumeGroupCategories`); the
/// `VolumeGroup` model has no such member, so reads leave it out and
/// `/{volumeGroupExtId}/category-associations` lists it.
struct VolumeGroupService: Service {
    let env: AppEnvironment

    static let groups = "volumes:config/volume-groups"
    static let attachments = "volumes:config/volume-groups/{}/vm-attachments"

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "volumes" else { return nil }
        switch ctx.operation.operationId {
        case "listVolumeGroups": return try expanded(ctx, try env.engine.list(&ctx))
        case "getVolumeGroupById": return try expanded(ctx, try env.engine.get(&ctx))
        case "updateVolumeGroupById":
            // Categories change through their own actions; a PUT keeps them.
            return try env.engine.update(&ctx) { existing, doc in doc["categories"] = existing["categories"] }
        case "associateCategory": return try VolumeGroupCategories(env: env).change(ctx, associate: true)
        case "disassociateCategory": return try VolumeGroupCategories(env: env).change(ctx, associate: false)
        case "listCategoryAssociationsByVolumeGroupId": return try VolumeGroupCategories(env: env).list(ctx)
        case "attachVm": return try attachment(ctx, attach: true)
        case "detachVm": return try attachment(ctx, attach: false)
        default: return nil
        }
    }

    private func expanded(_ ctx: RequestContext, _ response: HTTPResponse) throws -> HTTPResponse {
        let expand = CategoryService.expandNames(ctx.target.value("$expand")).contains("cluster")
        // Only a body naming the private member is parsed to take it out.
        guard expand || VolumeGroupCategories.mayHold(response.body), response.status == 200,
            var root = try JSON.parse(response.body).objectValue, let data = root["data"]
        else { return response }
        let isList = data.arrayValue != nil
        var items = data.arrayValue ?? [data]
        let fv = env.contract.fv("clustermgmt")
        for i in items.indices {
            guard var item = items[i].objectValue else { continue }
            if item["categories"] != nil {
                item["categories"] = nil
                items[i] = .object(item)
            }
            guard expand, let ref = item["clusterReference"]?.stringValue,
                let cluster = try env.store.get(namespace: "clustermgmt", kind: TaskEffect.clusters, extId: ref),
                let doc = try? JSON.parse(Envelope.withReserved(cluster.document, fv: fv))
            else { continue }
            item["cluster"] = doc
            items[i] = .object(item)
        }
        root["data"] = isList ? .array(items) : items[0]
        var out = response
        out.body = Array(JSON.object(root).text.utf8)
        return out
    }

    private func attachment(_ ctx: RequestContext, attach: Bool) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let groupId = ctx.parameters["extId"] ?? ""
        let vmId = body["extId"]?.stringValue ?? ""
        let ifMatch = ctx.request.headers["If-Match"]
        let response = try env.store.write { tx -> HTTPResponse in
            let group = try env.engine.existing(ctx, groupId, ifMatch: ifMatch, in: tx)
            let vm = try tx.get(namespace: "vmm", kind: ImageService.vms, extId: vmId)
            let current = try tx.list(
                namespace: "volumes", kind: VolumeGroupService.attachments, parentExtId: groupId,
                whereSQL: "json_extract(\(StoreSchema.Entities.document), '$.extId') = ?", arguments: [.text(vmId)],
                limit: 1
            ).entities.first
            var effect = TaskEffect(change: .check)
            effect.namespace = "volumes"
            effect.kind = VolumeGroupService.groups
            effect.extId = groupId
            if vm == nil, attach {
                effect.fault = TaskFault(
                    message: .error(
                        "volumes", 404, 3, "VM_NOT_FOUND", "VM \(vmId) does not exist", [("vmExtId", vmId)]))
            } else if attach, current != nil {
                effect.fault = TaskFault(
                    message: .error(
                        "volumes", 409, 3, "VM_ALREADY_ATTACHED",
                        "VM \(vmId) is already attached to volume group \(groupId)",
                        [("vmExtId", vmId), ("volumeGroupExtId", groupId)]))
            } else if !attach, current == nil {
                effect.fault = TaskFault(
                    message: .error(
                        "volumes", 404, 4, "VM_NOT_ATTACHED", "VM \(vmId) is not attached to volume group \(groupId)",
                        [("vmExtId", vmId), ("volumeGroupExtId", groupId)]))
            } else if attach {
                var doc = JSONObject([
                    ("$objectType", .string("volumes.v4.config.VmAttachment")), ("extId", .string(vmId)),
                ])
                if let index = body["index"] { doc["index"] = index }
                effect = TaskEffect(change: .insert)
                effect.namespace = "volumes"
                effect.kind = VolumeGroupService.attachments
                effect.extId = "\(groupId):\(vmId)"
                effect.parentExtId = groupId
                effect.parentKind = VolumeGroupService.groups
                effect.document = JSON.object(doc).text
                effect.owner = ctx.user.name
            } else if let current {
                effect = TaskEffect(change: .delete)
                effect.namespace = "volumes"
                effect.kind = VolumeGroupService.attachments
                effect.extId = current.extId
                effect.expectedRevision = current.revision
            }
            if let fault = ctx.taskFault { effect.fault = fault }
            let groupDoc = try? JSON.parse(group.document)
            var affected: [TaskDocument.Affected] = [
                .init(extId: groupId, rel: "volumes:config:volume-group", name: groupDoc?["name"]?.stringValue)
            ]
            if let vm {
                affected.append(
                    .init(
                        extId: vmId, rel: "vmm:ahv:config:vm",
                        name: (try? JSON.parse(vm.document))?["name"]?.stringValue))
            }
            let taskId = try env.engine.tasks.submit(
                in: tx,
                TaskLedger.Submission(
                    operation: ctx.operation, affected: affected, owner: ctx.user,
                    clusterExtIds: groupDoc?["clusterReference"]?.stringValue.map { [$0] } ?? [], effect: effect))
            let response = env.engine.taskAccepted(ctx, taskId)
            try ctx.runCommitHooks(in: tx, response)
            return response
        }
        env.engine.tasks.submitted()
        return response
    }
}
