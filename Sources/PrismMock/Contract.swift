import HTTPServer
import PrismAPI

/// The catalog with everything the engine derives from it once at start: the router and each
/// operation's role. Immutable and shared by every request.
struct Contract: Sendable {
    let catalog: Catalog
    /// Each operation's role by its position in the catalog's operations: the router reports an
    /// operation's position, so a request needs no key built and hashed.
    let roles: RoleTable
    private let filterCatalogs = FilterCatalogCache()
    let compiledLists = CompiledListCache()

    init(catalog: Catalog) {
        self.catalog = catalog
        roles = RoleTable(operations: catalog.operations)
    }

    static func key(_ op: PrismAPI.Operation) -> String { op.namespace + ":" + op.operationId }

    func role(of op: PrismAPI.Operation) -> OperationRole {
        catalog.position(namespace: op.namespace, operationId: op.operationId).map(roles.role(at:)) ?? OperationRole(op)
    }

    /// The operation an `/api/` request names, or nil (not such a path, malformed escapes, or
    /// no operation: the router then answers the 400/404/405 itself).
    func route(_ request: HTTPRequest) -> Route? {
        let path = request.path
        guard path.hasBytePrefix("/api/"), let target = RequestTarget(path: path, query: request.query) else { return nil }
        // Only the operation's position from the router: its `Match` copies the operation and
        // re-checks the template to fill a dictionary of parameters.
        guard
            let index = catalog.routes.operationIndex(
                method: request.method == "HEAD" ? "GET" : request.method, segments: target.segments)
        else { return nil }
        let operation = catalog.operations[index]
        var parameters = PathParameters()
        for (segment, value) in zip(operation.template.segments, target.segments) {
            if case .parameter(let name) = segment { parameters[name] = value }
        }
        return Route(
            target: target, operation: operation, role: roles.role(at: index), parameters: parameters, position: index)
    }

    enum Match {
        case found(PrismAPI.Operation, OperationRole, parameters: [String: String])
        case methodNotAllowed(allow: [String])
        case notFound
    }

    /// Routes decoded segments; HEAD is served by the GET operation (RFC 9110 §9.3.2).
    func match(method: String, segments: [String]) -> Match {
        let (match, index) = catalog.routes.matchIndexed(method: method == "HEAD" ? "GET" : method, segments: segments)
        switch match {
        case .found(let op, let parameters):
            return .found(op, index.map(roles.role(at:)) ?? role(of: op), parameters: parameters)
        case .methodNotAllowed(var allowed):
            if allowed.contains("GET") { allowed.append("HEAD") }
            return .methodNotAllowed(allow: allowed)
        case .notFound: return .notFound
        }
    }

    func filterCatalog(for op: Operation) -> FilterCatalog {
        filterCatalogs.catalog(for: op, in: catalog)
    }

    /// A nested collection that also exists at the top level (`/clusters/{clusterExtId}/hosts` and
    /// `/hosts`) is one set of entities: the nested routes read the top-level kind, scoped to the
    /// parent. The straightforward statement of the rule: `NamespaceRoles` derives the same roles
    /// without the keys built here, and the tests hold the two equal for the whole catalog.
    static func aliasNestedCollections(_ roles: [OperationRole]) -> [OperationRole] {
        // Collections that hold entities (something lists or creates in them), as opposed to path
        // prefixes that only carry actions or per-entity stats (`/operations/clusters/{id}/…`,
        // `/stats/clusters/{id}`).
        var known: Set<String> = []
        for r in roles {
            switch r.kind {
            case .list, .create: known.insert(r.collection)
            default: continue
            }
        }
        var topLevel: [String: String] = [:]  // "<ns>:<last segment>" -> collection key
        for r in roles where r.parentParameter == nil && known.contains(r.collection) {
            if let name = Contract.lastSegmentKey(r.collection) { topLevel[name] = r.collection }
        }
        func alias(_ key: String) -> String? {
            Contract.lastSegmentKey(key).flatMap { topLevel[$0] }
        }
        return roles.map { role in
            guard role.parentParameter != nil else { return role }
            var r = role
            // Only a nested path that itself lists or creates holds the same entities as the
            // top-level one; a get-only nested path (`/stats/…/hosts/{id}`) is its own kind.
            if known.contains(role.collection), let a = alias(role.collection) { r.collection = a }
            if let parent = role.parentCollection, !known.contains(parent), let a = alias(parent) {
                r.parentCollection = a
            }
            return r
        }
    }

    /// `<ns>:<last segment>` of a collection key (`vmm:ahv/config/vms/{}/disks` → `vmm:disks`).
    /// Over the bytes: Character-level `split` here was a tenth of start-up.
    static func lastSegmentKey(_ key: String) -> String? {
        let utf8 = key.utf8
        let namespaceEnd = utf8.firstIndex(of: UInt8(ascii: ":")) ?? utf8.endIndex
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
        guard end > utf8.startIndex else { return nil }
        let start = utf8[..<end].lastIndex(of: UInt8(ascii: "/")).map(utf8.index(after:)) ?? utf8.startIndex
        return String(key[..<namespaceEnd]) + ":" + String(key[start..<end])
    }

    func fv(_ namespace: String) -> String {
        catalog.namespaces[namespace]?.fv ?? "v4.r0"
    }

    /// The model name of the entities an operation's collection holds.
    func itemModel(of op: Operation) -> String? {
        if let item = op.listItemModel { return item }
        for t in op.responseDataTypes where !t.hasPrefix("list[") && !t.hasSuffix("TaskReference") && !t.contains(".error.") {
            return t
        }
        if case .model(let name) = op.requestBody { return name }
        return roles.listItemModel(collection: role(of: op).collection, namespace: op.namespace)
    }
}

/// A request resolved to its catalog operation. A class: the exchange, the request context and
/// the middlewares that read it share one instance, where a struct was copied (a retain and a
/// release of each of the operation's fields) at every hand-over.
final class Route: Sendable {
    let target: RequestTarget
    let operation: PrismAPI.Operation
    let role: OperationRole
    let parameters: PathParameters
    /// The operation's position in the catalog's `operations`.
    let position: Int

    init(
        target: RequestTarget, operation: PrismAPI.Operation, role: OperationRole, parameters: PathParameters,
        position: Int
    ) {
        self.position = position
        self.target = target
        self.operation = operation
        self.role = role
        self.parameters = parameters
    }
}
