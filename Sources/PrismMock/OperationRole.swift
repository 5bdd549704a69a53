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

    init(_ op: Operation) {
        var rest: [PathTemplate.Segment] = Array(op.template.segments.drop { $0 != .version }.dropFirst())
        var verb: String?
        if let i = rest.firstIndex(of: .literal("$actions")), i + 1 < rest.count, case .literal(let v) = rest[i + 1] {
            verb = v
            rest = Array(rest[..<i])
        }
        var item: String?
        if case .parameter(let name) = rest.last {
            item = name
            rest.removeLast()
        }
        collection = OperationRole.key(op.namespace, rest)
        itemParameter = item
        var parentRest = rest
        parentParameter = nil
        parentCollection = nil
        // The parent is the nearest `{param}` before the collection's own name.
        while let last = parentRest.last {
            parentRest.removeLast()
            if case .parameter(let name) = last {
                parentParameter = name
                parentCollection = OperationRole.key(op.namespace, parentRest)
                break
            }
        }
        switch (op.method, item != nil, verb) {
        case ("POST", let onEntity, .some(let v)):
            kind = .action(verb: v, onEntity: onEntity)
        case (_, _, .some):
            kind = .unsupported(reason: "\(op.method) on an action path")
        case ("GET", true, nil): kind = .get
        case ("PUT", true, nil): kind = .update
        case ("DELETE", true, nil): kind = .delete
        case ("GET", false, nil): kind = op.isList ? .list : .singletonGet
        case ("POST", false, nil): kind = .create
        case ("PUT", false, nil): kind = .singletonPut
        default: kind = .unsupported(reason: "\(op.method) \(op.path) has no generic behaviour")
        }
        // Downloads and uploads of raw bytes have no JSON document to keep.
        if op.responseDataTypes.contains(where: { $0 == "Path" || $0 == "str" || $0.hasSuffix("FileWrapper") })
            || op.requestContentTypes.contains(where: { $0 != "application/json" })
        {
            kind = .unsupported(reason: "file transfer operations are not implemented")
        }
    }

    static func key(_ namespace: String, _ segments: [PathTemplate.Segment]) -> String {
        var out = namespace + ":"
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
