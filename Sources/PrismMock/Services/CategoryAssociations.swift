import EntityStore
import OData

/// Which entities use a category, computed from the documents that reference it (Prism Central
/// keeps no separate association table the client could get out of step with): VMs'
/// `categories[].extId`, images' `categoryExtIds`, clusters' `categories`.
enum CategoryAssociations {
    struct Source: Sendable {
        var namespace: String
        var kind: String
        /// The array holding the references: of `{"extId": …}` objects, or of extId strings.
        var arrayPath: String
        var itemsAreReferences: Bool
        var resourceType: String

        func extId(_ item: JSON) -> String? {
            itemsAreReferences ? item["extId"]?.stringValue : item.stringValue
        }
    }

    static let sources: [Source] = [
        Source(
            namespace: "vmm", kind: "vmm:ahv/config/vms", arrayPath: "categories",
            itemsAreReferences: true, resourceType: "VM"),
        Source(
            namespace: "vmm", kind: "vmm:content/images", arrayPath: "categoryExtIds",
            itemsAreReferences: false, resourceType: "IMAGE"),
        Source(
            namespace: "clustermgmt", kind: "clustermgmt:config/clusters", arrayPath: "categories",
            itemsAreReferences: false, resourceType: "CLUSTER"),
    ]

    struct Association: Equatable {
        var categoryExtId: String
        var resourceType: String
        var resourceId: String
    }

    /// Every association of the given categories (all of them when `categories` is nil), in the
    /// order of `sources`, then by the referencing entity's extId. A few categories are looked up
    /// by SQL alone (`json_each` over the reference array, no document parsed in Swift); more, or
    /// all, by one pass over the referencing rows of each source. Both give the same answer.
    static func find(
        _ categories: Set<String>?,
        list: (_ namespace: String, _ kind: String, _ whereSQL: String, _ arguments: [SQLValue]) throws ->
            [StoredEntity]
    ) throws -> [Association] {
        if let categories, categories.count <= lookupLimit {
            return try lookUp(categories.sorted(), list: list)
        }
        return try scan(categories, list: list)
    }

    /// Up to this many categories are looked up one query per category and source.
    static let lookupLimit = 4

    static func lookUp(
        _ categories: [String],
        list: (_ namespace: String, _ kind: String, _ whereSQL: String, _ arguments: [SQLValue]) throws ->
            [StoredEntity]
    ) throws -> [Association] {
        var out: [Association] = []
        for source in sources {
            let item = source.itemsAreReferences ? "json_extract(r.value, '$.extId')" : "r.value"
            let whereSQL =
                "EXISTS (SELECT 1 FROM json_each(\(StoreSchema.Entities.document), '$.\(source.arrayPath)') r "
                + "WHERE \(item) = ?)"
            var found: [Association] = []
            for category in categories {
                for row in try list(source.namespace, source.kind, whereSQL, [.text(category)]) {
                    found.append(
                        Association(categoryExtId: category, resourceType: source.resourceType, resourceId: row.extId))
                }
            }
            out += found.sorted {
                $0.resourceId != $1.resourceId ? $0.resourceId < $1.resourceId : $0.categoryExtId < $1.categoryExtId
            }
        }
        return out
    }

    static func scan(
        _ categories: Set<String>?,
        list: (_ namespace: String, _ kind: String, _ whereSQL: String, _ arguments: [SQLValue]) throws ->
            [StoredEntity]
    ) throws -> [Association] {
        var out: [Association] = []
        for source in sources {
            // Only rows that reference any category are read and parsed.
            let whereSQL = "json_array_length(\(StoreSchema.Entities.document), '$.\(source.arrayPath)') > 0"
            var found: [Association] = []
            for row in try list(source.namespace, source.kind, whereSQL, []) {
                guard let items = (try? JSON.parse(row.document))?[source.arrayPath]?.arrayValue else { continue }
                var seen = Set<String>()
                for item in items {
                    guard let id = source.extId(item), categories?.contains(id) ?? true, seen.insert(id).inserted
                    else { continue }
                    found.append(
                        Association(categoryExtId: id, resourceType: source.resourceType, resourceId: row.extId))
                }
            }
            out += found.sorted {
                $0.resourceId != $1.resourceId ? $0.resourceId < $1.resourceId : $0.categoryExtId < $1.categoryExtId
            }
        }
        return out
    }

    static func find(_ categories: Set<String>?, in tx: StoreTransaction) throws -> [Association] {
        try find(categories) { ns, kind, whereSQL, arguments in
            try tx.list(namespace: ns, kind: kind, whereSQL: whereSQL, arguments: arguments, limit: scanLimit).entities
        }
    }

    static func find(_ categories: Set<String>?, in store: EntityStore) throws -> [Association] {
        try store.read { view in
            try find(categories) { ns, kind, whereSQL, arguments in
                try view.list(namespace: ns, kind: kind, whereSQL: whereSQL, arguments: arguments, limit: scanLimit)
                    .entities
            }
        }
    }

    static let scanLimit = 1_000_000

    /// `prism.v4.config.AssociationSummary` items: one per resource type, with its count.
    static func summaries(_ associations: [Association], of category: String, fv: String) -> JSON {
        var counts: [(type: String, count: Int)] = []
        for a in associations where a.categoryExtId == category {
            if let i = counts.firstIndex(where: { $0.type == a.resourceType }) {
                counts[i].count += 1
            } else {
                counts.append((a.resourceType, 1))
            }
        }
        return .array(
            counts.map { c in
                .object(
                    JSONObject([
                        ("categoryId", .string(category)), ("resourceType", .string(c.type)),
                        ("resourceGroup", .string("ENTITY")), ("count", .int(Int64(c.count))),
                        ("$objectType", .string("prism.v4.config.AssociationSummary")),
                        ("$reserved", .object(JSONObject([("$fv", .string(fv))]))),
                    ]))
            })
    }

    /// `prism.v4.config.AssociationDetail` items: one per referencing entity.
    static func details(_ associations: [Association], of category: String, fv: String) -> JSON {
        .array(
            associations.filter { $0.categoryExtId == category }.map { a in
                .object(
                    JSONObject([
                        ("categoryId", .string(category)), ("resourceType", .string(a.resourceType)),
                        ("resourceGroup", .string("ENTITY")), ("resourceId", .string(a.resourceId)),
                        ("$objectType", .string("prism.v4.config.AssociationDetail")),
                        ("$reserved", .object(JSONObject([("$fv", .string(fv))]))),
                    ]))
            })
    }
}
