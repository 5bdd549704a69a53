import Dispatch
import HTTPServer
import PrismAPI
import Synchronization

/// The catalog with everything the engine derives from it once at start: the router and each
/// operation's role. Immutable and shared by every request.
struct Contract: Sendable {
    let catalog: Catalog
    /// Each operation's role, in the catalog's operation order: the router reports an
    /// operation's position, so a request needs no key built and hashed.
    let roles: [OperationRole]
    /// Collection key -> the item model its list operation returns, for operations that say
    /// nothing of the entity themselves (a create without a body).
    private let listItemModels: [String: String]
    private let filterCatalogs = FilterCatalogCache()
    let compiledLists = CompiledListCache()

    init(catalog: Catalog) {
        self.catalog = catalog
        let roles = Contract.roles(of: catalog.operations)
        self.roles = roles
        var items: [String: String] = [:]
        for (op, role) in zip(catalog.operations, roles) where role.kind == .list {
            if let item = op.listItemModel, items[role.collection] == nil { items[role.collection] = item }
        }
        listItemModels = items
    }

    static func key(_ op: PrismAPI.Operation) -> String { op.namespace + ":" + op.operationId }

    /// Each operation's role, in the operations' order. A namespace's roles depend only on its
    /// own operations (collection keys carry the namespace), so namespaces are worked out in
    /// parallel: this runs on the start-up path once the catalog is loaded.
    static func roles(of operations: [PrismAPI.Operation]) -> [OperationRole] {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in operations.indices.dropFirst() where operations[index].namespace != operations[start].namespace {
            ranges.append(start..<index)
            start = index
        }
        if !operations.isEmpty { ranges.append(start..<operations.count) }
        let namespaces = ranges
        let results = Mutex<[Int: [OperationRole]]>([:])
        DispatchQueue.concurrentPerform(iterations: namespaces.count) { position in
            let roles = aliasNestedCollections(operations[namespaces[position]].map(OperationRole.init))
            results.withLock { $0[position] = roles }
        }
        let byRange = results.withLock { $0 }
        return namespaces.indices.flatMap { byRange[$0] ?? [] }
    }

    func role(of op: PrismAPI.Operation) -> OperationRole {
        catalog.position(namespace: op.namespace, operationId: op.operationId).map { roles[$0] } ?? OperationRole(op)
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
            target: target, operation: operation, role: roles[index], parameters: parameters, position: index)
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
            return .found(op, index.map { roles[$0] } ?? role(of: op), parameters: parameters)
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
    /// parent.
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
        return listItemModels[role(of: op).collection]
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
