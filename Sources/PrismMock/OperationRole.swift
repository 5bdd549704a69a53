import OData
import PrismAPI

/// What the generic engine does with an operation, derived once from its path template and
/// method (sdk-contract.md §a: `/…/<resource>[/{id}[/<sub>[/{id}]]][/$actions/<verb>]`).
struct OperationRole: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case list, get, create, update, delete
        /// `POST …/{id}/$actions/<verb>` (on an entity) or `POST …/$actions/<verb>` (on a collection).
        case action(verb: String, onEntity: Bool)
        /// A one-per-parent resource (`/vms/{extId}/guest-tools`, `/alerts/email-config`).
        case singletonGet, singletonPut
        case unsupported(reason: String)
    }

    var kind: Kind
    /// The store's kind for the collection this operation works on: the namespace and the
    /// version-less collection path with `{}` for parameters, e.g. `vmm:ahv/config/vms/{}/disks`.
    var collection: String
    /// The path parameter naming the entity itself (`extId`), for get/update/delete/actions.
    var itemParameter: String?
    /// The path parameter naming the parent entity (`vmExtId`), for sub-collections.
    var parentParameter: String?
    /// The collection of the parent entity, so a request under a missing parent answers 404.
    var parentCollection: String?

    init(
        kind: Kind, collection: String, itemParameter: String?, parentParameter: String?, parentCollection: String?
    ) {
        self.kind = kind
        self.collection = collection
        self.itemParameter = itemParameter
        self.parentParameter = parentParameter
        self.parentCollection = parentCollection
    }

    /// One operation's role on its own, before nested collections are aliased (the catalog's
    /// roles come from `NamespaceRoles`, which derives a namespace's at once).
    init(_ op: Operation) {
        let segments = op.template.segments
        let (begin, end, item, verb) = OperationRole.bounds(segments)
        collection = OperationRole.key(op.namespace, segments[begin..<end])
        itemParameter = item
        let parent = OperationRole.parent(segments, begin: begin, end: end)
        parentParameter = parent?.name
        parentCollection = parent.map { OperationRole.key(op.namespace, segments[begin..<$0.index]) }
        kind = OperationRole.kind(of: op, onEntity: item != nil, verb: verb)
    }

    /// The parent: the nearest `{param}` before the collection's own name, and its index.
    static func parent(_ segments: [PathTemplate.Segment], begin: Int, end: Int) -> (name: String, index: Int)? {
        var index = end
        while index > begin {
            index -= 1
            if case .parameter(let name) = segments[index] { return (name, index) }
        }
        return nil
    }

    /// The collection's segments (`begin..<end`, after the version, before `{id}` and
    /// `$actions/<verb>`), the item parameter and the action verb. Indices into the template
    /// rather than copied arrays of segments: this runs for every operation.
    static func bounds(_ segments: [PathTemplate.Segment]) -> (begin: Int, end: Int, item: String?, verb: String?) {
        var begin = segments.endIndex
        for index in segments.indices {
            if case .version = segments[index] {
                begin = index + 1
                break
            }
        }
        var end = segments.endIndex
        var verb: String?
        for index in begin..<end {
            guard case .literal(let text) = segments[index], text == "$actions" else { continue }
            if index + 1 < end, case .literal(let v) = segments[index + 1] {
                verb = v
                end = index
            }
            break
        }
        var item: String?
        if end > begin, case .parameter(let name) = segments[end - 1] {
            item = name
            end -= 1
        }
        return (begin, end, item, verb)
    }

    static func kind(of op: Operation, onEntity: Bool, verb: String?) -> Kind {
        // Downloads and uploads of raw bytes have no JSON document to keep.
        if op.responseDataTypes.contains(where: { $0 == "Path" || $0 == "str" || $0.hasByteSuffix("FileWrapper") })
            || op.requestContentTypes.contains(where: { $0 != "application/json" })
        {
            return .unsupported(reason: "file transfer operations are not implemented")
        }
        switch (op.method, onEntity, verb) {
        case ("POST", let onEntity, .some(let v)): return .action(verb: v, onEntity: onEntity)
        case (_, _, .some): return .unsupported(reason: "\(op.method) on an action path")
        case ("GET", true, nil): return .get
        case ("PUT", true, nil): return .update
        case ("DELETE", true, nil): return .delete
        case ("GET", false, nil): return op.isList ? .list : .singletonGet
        case ("POST", false, nil): return .create
        case ("PUT", false, nil): return .singletonPut
        default: return .unsupported(reason: "\(op.method) \(op.path) has no generic behaviour")
        }
    }

    static func key(_ namespace: String, _ segments: ArraySlice<PathTemplate.Segment>) -> String {
        var length = namespace.utf8.count + 1
        for s in segments {
            switch s {
            case .literal(let t): length += t.utf8.count + 1
            case .parameter: length += 3
            case .version: length += 10
            }
        }
        var out = namespace
        out.reserveCapacity(length)
        out += ":"
        for (i, s) in segments.enumerated() {
            if i > 0 { out += "/" }
            switch s {
            case .literal(let t): out += t
            case .parameter: out += "{}"
            case .version: out += "{version}"
            }
        }
        return out
    }
}
