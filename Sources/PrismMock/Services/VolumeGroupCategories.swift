import EntityStore
import Glibc
import HTTPServer
import OData
import PrismAPI

/// A volume group's categories. `associate-category` adds the categories not yet there (so
/// repeating it is harmless) and `disassociate-category` removes those there, both as edits of
/// the group document's `categories` member applied when the task succeeds; a category that
/// does not exist fails the task (`EntityReferences`). The member holds
/// `common.v1.config.EntityReference`s and is what `CategoryAssociations` reads for
/// `VOLUMEGROUP` associations and `category-associations` lists.
struct VolumeGroupCategories {
    let env: AppEnvironment

    static let field = "categories"

    /// Whether a response body may carry the member: `memchr` hops between the needle's rarest
    /// byte (`g`), so the common body without it costs a vectorised scan, not a parse.
    static func mayHold(_ body: [UInt8]) -> Bool {
        let needle = Array(#""categories""#.utf8)
        let pivot = 5  // needle[pivot] == "g"
        return body.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return false }
            var from = pivot
            while from < b.count - (needle.count - pivot - 1),
                let hit = memchr(base + from, Int32(needle[pivot]), b.count - from)
            {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let start = at - pivot
                if start + needle.count <= b.count, memcmp(base + start, needle, needle.count) == 0 { return true }
                from = at + 1
            }
            return false
        }
    }

    func change(_ ctx: RequestContext, associate: Bool) throws -> HTTPResponse {
        let body = try env.engine.requestObject(ctx)
        let given = body[VolumeGroupCategories.field]?.arrayValue ?? []
        let ids = given.compactMap { $0["extId"]?.stringValue }
        guard ids.count == given.count else {
            throw V4Error.schema(
                "volumes", path: String(ctx.request.path),
                [ValidationProblem(attributePath: "categories", message: "every category reference needs an extId")])
        }
        let edits = ids.map { id -> DocumentEdit in
            associate
                ? .append(VolumeGroupCategories.field, VolumeGroupCategories.reference(id), ifAbsent: true)
                : .remove(VolumeGroupCategories.field, extId: id, ifPresent: true)
        }
        let groupId = ctx.parameters["extId"] ?? ""
        let response = try env.store.write { tx -> HTTPResponse in
            let group = try env.engine.existing(ctx, groupId, ifMatch: ctx.request.headers["If-Match"], in: tx)
            var effect = TaskEffect(change: .edit)
            effect.namespace = "volumes"
            effect.kind = VolumeGroupService.groups
            effect.extId = groupId
            effect.edits = edits
            if let fault = ctx.taskFault { effect.fault = fault }
            let doc = try? JSON.parse(group.document)
            let taskId = try env.engine.tasks.submit(
                in: tx,
                TaskLedger.Submission(
                    operation: ctx.operation,
                    affected: [.init(extId: groupId, rel: "volumes:config:volume-group", name: doc?["name"]?.stringValue)],
                    owner: ctx.user, clusterExtIds: doc?["clusterReference"]?.stringValue.map { [$0] } ?? [],
                    effect: effect))
            let response = env.engine.taskAccepted(ctx, taskId)
            try ctx.runCommitHooks(in: tx, response)
            return response
        }
        env.engine.tasks.submitted()
        return response
    }

    /// `GET …/{volumeGroupExtId}/category-associations`: the group's categories as
    /// `volumes.v4.config.CategoryDetails`, paged like any list.
    func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let groupId = ctx.parameters["volumeGroupExtId"] ?? ""
        guard let group = try env.store.get(namespace: "volumes", kind: VolumeGroupService.groups, extId: groupId) else {
            throw V4Error.entityNotFound("volumes", what: "volumes:config:volume-group", extId: groupId)
        }
        let query = try ListQuery(ctx, contract: env.contract)
        let fv = env.contract.fv("volumes")
        let ids = (try JSON.parse(group.document)[VolumeGroupCategories.field]?.arrayValue ?? [])
            .compactMap { $0["extId"]?.stringValue }
        let start = min(query.odata.offset, ids.count)
        let page = ids[start..<min(ids.count, start + query.limit)].map { id in
            JSON.object(
                JSONObject([
                    ("extId", .string(id)), ("entityType", .string("CATEGORY")),
                    ("$objectType", .string("volumes.v4.config.CategoryDetails")),
                ])
            ).text
        }
        return try query.response(ctx, documents: page, total: ids.count, fv: fv)
    }

    static func reference(_ extId: String) -> JSON {
        .object(
            JSONObject([
                ("extId", .string(extId)), ("entityType", .string("CATEGORY")),
                ("$objectType", .string("common.v1.config.EntityReference")),
                ("$reserved", .object(JSONObject([("$fv", .string("v1.r0"))]))),
            ]))
    }
}
