import PrismAPI

/// The catalog with everything the engine derives from it once at start: the router and each
/// operation's role. Immutable and shared by every request.
struct Contract: Sendable {
    let catalog: Catalog
    /// Keyed by `Contract.key(op)`.
    let roles: [String: OperationRole]
    private let filterCatalogs = FilterCatalogCache()

    init(catalog: Catalog) {
        self.catalog = catalog
        let roles = Contract.aliasNestedCollections(catalog.operations.map(OperationRole.init))
        self.roles = Dictionary(uniqueKeysWithValues: zip(catalog.operations.map(Contract.key), roles))
    }

    static func key(_ op: PrismAPI.Operation) -> String { op.namespace + ":" + op.operationId }

    func role(of op: PrismAPI.Operation) -> OperationRole {
        roles[Contract.key(op)] ?? OperationRole(op)
    }

    enum Match {
        case found(PrismAPI.Operation, OperationRole, parameters: [String: String])
        case methodNotAllowed(allow: [String])
        case notFound
    }

    /// Routes decoded segments; HEAD is served by the GET operation (RFC 9110 §9.3.2).
    func match(method: String, segments: [String]) -> Match {
        switch catalog.routes.match(method: method == "HEAD" ? "GET" : method, segments: segments) {
        case .found(let op, let parameters): return .found(op, role(of: op), parameters: parameters)
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
        var topLevel: [String: String] = [:]  // "<ns>:<last segment>" -> collection key
        for r in roles where r.parentParameter == nil {
            let ns = r.collection.prefix { $0 != ":" }
            if let last = r.collection.split(separator: "/").last { topLevel[ns + ":" + last] = r.collection }
        }
        return roles.map { role in
            guard role.parentParameter != nil else { return role }
            let ns = role.collection.prefix { $0 != ":" }
            guard let last = role.collection.split(separator: "/").last, let alias = topLevel[ns + ":" + last] else {
                return role
            }
            var r = role
            r.collection = alias
            return r
        }
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
        return nil
    }
}
