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
        // Indices into the template rather than copied arrays of segments: this runs for every
        // operation on the start-up path.
        let segments = op.template.segments
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
        collection = OperationRole.key(op.namespace, segments[begin..<end])
        itemParameter = item
        parentParameter = nil
        parentCollection = nil
        // The parent is the nearest `{param}` before the collection's own name.
        var index = end
        while index > begin {
            index -= 1
            if case .parameter(let name) = segments[index] {
                parentParameter = name
                parentCollection = OperationRole.key(op.namespace, segments[begin..<index])
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
