import EntityStore
import OData

/// The entities a stored document points at, per collection. A task whose change adds a
/// reference to an entity that does not exist fails with a not-found error of the document's
/// namespace and changes nothing, as Prism Central fails the task of a VM whose subnet or image
/// is missing. References the document already held are not checked again, so an entity whose
/// old reference went stale can still be edited.
enum EntityReferences {
    struct Reference: Sendable {
        /// Member names from the document root; `*` stands for every element of an array.
        var path: [String]
        var namespace: String
        var kind: String
        var group: String
        var what: String
    }

    static let subnets = "networking:config/subnets"
    static let images = "vmm:content/images"
    static let categories = "prism:config/categories"
    static let containers = "clustermgmt:config/storage-containers"
    static let hosts = "clustermgmt:config/hosts"
    static let users = "iam:authn/users"

    private static let vm: [Reference] = [
        // Also checked for every document by `TaskEffect`; here for edits, which carry no document.
        Reference(
            path: ["cluster", "extId"], namespace: "clustermgmt", kind: TaskEffect.clusters, group: "CLUSTER_NOT_FOUND",
            what: "cluster"),
        Reference(
            path: ["nics", "*", "networkInfo", "subnet", "extId"], namespace: "networking", kind: subnets,
            group: "SUBNET_NOT_FOUND", what: "subnet"),
        Reference(
            path: ["nics", "*", "nicNetworkInfo", "subnet", "extId"], namespace: "networking", kind: subnets,
            group: "SUBNET_NOT_FOUND", what: "subnet"),
        Reference(
            path: ["disks", "*", "backingInfo", "dataSource", "reference", "imageExtId"], namespace: "vmm", kind: images,
            group: "IMAGE_NOT_FOUND", what: "image"),
        Reference(
            path: ["cdRoms", "*", "backingInfo", "dataSource", "reference", "imageExtId"], namespace: "vmm", kind: images,
            group: "IMAGE_NOT_FOUND", what: "image"),
        Reference(
            path: ["disks", "*", "backingInfo", "storageContainer", "extId"], namespace: "clustermgmt", kind: containers,
            group: "STORAGE_CONTAINER_NOT_FOUND", what: "storage container"),
        Reference(
            path: ["categories", "*", "extId"], namespace: "prism", kind: categories, group: "CATEGORY_NOT_FOUND",
            what: "category"),
        Reference(path: ["host", "extId"], namespace: "clustermgmt", kind: hosts, group: "HOST_NOT_FOUND", what: "host"),
        Reference(
            path: ["ownershipInfo", "owner", "extId"], namespace: "iam", kind: users, group: "USER_NOT_FOUND",
            what: "owner"),
    ]

    static func of(kind: String) -> [Reference] {
        kind == VmPowerStates.collection ? vm : []
    }

    /// The first reference of `document` (not in `before`) whose entity does not exist, as the
    /// message the task fails with; nil when every new reference resolves.
    static func missing(kind: String, in document: String, before: String?, tx: StoreTransaction) throws -> TaskMessage? {
        let references = of(kind: kind)
        guard !references.isEmpty, let doc = try? JSON.parse(document) else { return nil }
        let old = before.flatMap { try? JSON.parse($0) }
        let namespace = String(kind.prefix { $0 != ":" })
        for (i, reference) in references.enumerated() {
            let known = old.map { Set(values(at: reference.path[...], in: $0)) } ?? []
            for id in values(at: reference.path[...], in: doc) where !known.contains(id) {
                guard try tx.get(namespace: reference.namespace, kind: reference.kind, extId: id) == nil else { continue }
                return .error(
                    namespace, 404, 10 + i, reference.group,
                    "\(reference.what) \(id) referenced by \(RelName.forCollection(kind)) does not exist",
                    [("extId", id)])
            }
        }
        return nil
    }

    static func values(at path: ArraySlice<String>, in value: JSON) -> [String] {
        guard let head = path.first else { return value.stringValue.map { [$0] } ?? [] }
        if head == "*" {
            return (value.arrayValue ?? []).flatMap { values(at: path.dropFirst(), in: $0) }
        }
        guard let next = value[head] else { return [] }
        return values(at: path.dropFirst(), in: next)
    }
}
