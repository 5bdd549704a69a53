import EntityStore
import HTTPServer
import OData
import PrismAPI

/// Categories as Prism Central keeps them (synchronous, no tasks): one category per key and
/// value (a second one is a 409 and nothing is created), `$expand=associations` /
/// `detailedAssociations` computed from the entities that reference the category, and a
/// category in use cannot be deleted (409, nothing deleted). The rest is the generic engine's.
struct CategoryService: Service {
    let env: AppEnvironment

    static let kind = "prism:config/categories"

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "prism" else { return nil }
        switch ctx.operation.operationId {
        case "createCategory":
            ctx.commitHooks.insert(uniqueKeyAndValue(ctx), at: 0)
            return try env.engine.create(&ctx)
        case "updateCategoryById":
            ctx.commitHooks.insert(uniqueKeyAndValue(ctx), at: 0)
            return try env.engine.update(&ctx)
        case "deleteCategoryById":
            ctx.commitHooks.insert(notInUse(ctx), at: 0)
            return try env.engine.delete(&ctx)
        case "getCategoryById":
            // Lists have their `$expand` checked by the engine's query parser; a get is checked here.
            let unknown = CategoryService.expandNames(ctx.target.value("$expand"))
                .subtracting(ctx.operation.expandable ?? []).subtracting([""])
            if let name = unknown.sorted().first {
                var e = V4Error.badRequest("prism", "$expand: '\(name)' cannot be expanded", group: "INVALID_QUERY")
                e.arguments = [("option", "$expand"), ("token", name)]
                throw e
            }
            return try expanded(ctx, try env.engine.get(&ctx))
        case "listCategories":
            return try expanded(ctx, try env.engine.list(&ctx))
        default:
            return nil
        }
    }

    /// Runs inside the write, after the category was stored: another category with the same key
    /// and value fails the whole transaction.
    private func uniqueKeyAndValue(_ ctx: RequestContext) -> CommitHook {
        let path = ctx.parameters["extId"]
        return { tx, response in
            guard (200..<300).contains(response.status),
                let extId = path ?? IAMCredentialService.dataExtId(response),
                let row = try tx.get(namespace: "prism", kind: CategoryService.kind, extId: extId),
                let doc = try? JSON.parse(row.document),
                let key = doc["key"]?.stringValue, let value = doc["value"]?.stringValue
            else { return }
            let column = StoreSchema.Entities.document
            let others = try tx.list(
                namespace: "prism", kind: CategoryService.kind,
                whereSQL:
                    "json_extract(\(column), '$.key') = ? AND json_extract(\(column), '$.value') = ? AND extId <> ?",
                arguments: [.text(key), .text(value), .text(extId)], limit: 1)
            guard let existing = others.entities.first else { return }
            throw V4Error(
                409, "prism", "CATEGORY_ALREADY_EXISTS",
                "A category with key '\(key)' and value '\(value)' already exists (\(existing.extId))", detail: 1,
                arguments: [("key", key), ("value", value), ("extId", existing.extId)])
        }
    }

    private func notInUse(_ ctx: RequestContext) -> CommitHook {
        let extId = ctx.parameters["extId"] ?? ""
        return { tx, response in
            guard (200..<300).contains(response.status) else { return }
            let used = try CategoryAssociations.find([extId], in: tx)
            guard !used.isEmpty else { return }
            let kinds = Set(used.map(\.resourceType)).sorted().joined(separator: ", ")
            throw V4Error(
                409, "prism", "CATEGORY_IN_USE",
                "Category \(extId) is associated with \(used.count) entities (\(kinds)); disassociate it first",
                detail: 2, arguments: [("extId", extId), ("count", String(used.count))])
        }
    }

    /// The engine's answer with `associations` / `detailedAssociations` added to each category
    /// when `$expand` asks for them.
    private func expanded(_ ctx: RequestContext, _ response: HTTPResponse) throws -> HTTPResponse {
        let wanted = CategoryService.expandNames(ctx.target.value("$expand"))
        let summary = wanted.contains("associations")
        let detail = wanted.contains("detailedAssociations")
        guard summary || detail, response.status == 200, var root = try? JSON.parse(response.body).objectValue,
            let data = root["data"]
        else { return response }
        var items: [JSON]
        let isList = data.arrayValue != nil
        items = data.arrayValue ?? [data]
        let ids = Set(items.compactMap { $0["extId"]?.stringValue })
        let found = try CategoryAssociations.find(ids, in: env.store)
        let fv = env.contract.fv("prism")
        for i in items.indices {
            guard var item = items[i].objectValue, let id = item["extId"]?.stringValue else { continue }
            let associated = found.contains { $0.categoryExtId == id }
            if summary, associated { item["associations"] = CategoryAssociations.summaries(found, of: id, fv: fv) }
            if detail, associated { item["detailedAssociations"] = CategoryAssociations.details(found, of: id, fv: fv) }
            items[i] = .object(item)
        }
        root["data"] = isList ? .array(items) : items[0]
        var out = response
        out.body = Array(JSON.object(root).text.utf8)
        return out
    }

    /// `associations,detailedAssociations($select=…)` → the top-level names.
    static func expandNames(_ text: String?) -> Set<String> {
        guard let text else { return [] }
        var names = Set<String>()
        var depth = 0
        var current = ""
        for ch in text {
            switch ch {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                names.insert(current.filter { $0 != " " })
                current = ""
            default: if depth == 0 { current.append(ch) }
            }
        }
        names.insert(current.filter { $0 != " " })
        return names
    }
}
