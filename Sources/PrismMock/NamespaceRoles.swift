import PrismAPI

/// The roles of one namespace's operations (nested collections aliased to their top-level
/// kind, see `Contract.aliasNestedCollections`) and the item model each listed collection holds.
///
/// Derived without building a collection key per operation: collections are nodes of a trie of
/// path segments, so aliasing compares node numbers and last segments, and a key String is
/// built once per distinct collection. The straightforward derivation (`OperationRole.init`
/// then `aliasNestedCollections`) cost ~12 k instructions per operation on the start-up path.
final class NamespaceRoles: Sendable {
    let roles: [OperationRole]
    /// Collection key -> the item model its list operation returns.
    let listItemModels: [String: String]

    init(_ operations: ArraySlice<PrismAPI.Operation>) {
        guard let namespace = operations.first?.namespace else {
            roles = []
            listItemModels = [:]
            return
        }
        var trie = CollectionTrie(namespace: namespace)
        var shapes: [Shape] = []
        shapes.reserveCapacity(operations.count)
        for op in operations { shapes.append(Shape(op, trie: &trie)) }

        // Collections that hold entities (something lists or creates in them).
        var known = [Bool](repeating: false, count: trie.count)
        for s in shapes {
            switch s.kind {
            case .list, .create: known[s.collection] = true
            default: continue
            }
        }
        var topLevel: [String: Int] = [:]  // last segment -> collection node
        for s in shapes where s.parentParameter == nil && known[s.collection] {
            topLevel[trie.lastSegment(s.collection)] = s.collection
        }
        var items: [String: String] = [:]
        var roles: [OperationRole] = []
        roles.reserveCapacity(shapes.count)
        for (s, op) in zip(shapes, operations) {
            var collection = s.collection
            var parent = s.parentCollection
            if s.parentParameter != nil {
                if known[collection], let a = topLevel[trie.lastSegment(collection)] { collection = a }
                if let p = parent, !known[p], let a = topLevel[trie.lastSegment(p)] { parent = a }
            }
            let role = OperationRole(
                kind: s.kind, collection: trie.key(collection), itemParameter: s.itemParameter,
                parentParameter: s.parentParameter, parentCollection: parent.map { trie.key($0) })
            if role.kind == .list, let item = op.listItemModel, items[role.collection] == nil {
                items[role.collection] = item
            }
            roles.append(role)
        }
        self.roles = roles
        listItemModels = items
    }

    /// An operation's role before aliasing, with collections as trie nodes.
    private struct Shape {
        var kind: OperationRole.Kind
        var collection: Int
        var itemParameter: String?
        var parentParameter: String?
        var parentCollection: Int?

        init(_ op: PrismAPI.Operation, trie: inout CollectionTrie) {
            let segments = op.template.segments
            let (begin, end, item, verb) = OperationRole.bounds(segments)
            // The node of every prefix of the collection path, so the parent's is at hand.
            var nodes: [Int] = [CollectionTrie.root]
            nodes.reserveCapacity(end - begin + 1)
            for index in begin..<end { nodes.append(trie.child(of: nodes[nodes.count - 1], segments[index])) }
            collection = nodes[end - begin]
            itemParameter = item
            parentParameter = nil
            parentCollection = nil
            var index = end
            while index > begin {
                index -= 1
                if case .parameter(let name) = segments[index] {
                    parentParameter = name
                    parentCollection = nodes[index - begin]
                    break
                }
            }
            kind = OperationRole.kind(of: op, onEntity: item != nil, verb: verb)
        }
    }
}

/// A namespace's collection paths as a trie of segments; a node is one collection key.
private struct CollectionTrie {
    static let root = 0
    private struct Edge: Hashable {
        var parent: Int
        var segment: String
    }
    private let namespace: String
    private var children: [Edge: Int] = [:]
    /// Per node: its parent node and its last segment as the key writes it (`{}` for a parameter).
    private var parents: [Int] = [-1]
    private var segments: [String]
    private var keys: [String?] = [nil]

    init(namespace: String) {
        self.namespace = namespace
        // The empty collection's "last segment" is its whole key, as `Contract.lastSegmentKey`
        // reads `ns:`.
        segments = [namespace + ":"]
        children.reserveCapacity(64)
    }

    var count: Int { parents.count }

    mutating func child(of node: Int, _ segment: PathTemplate.Segment) -> Int {
        let text: String
        switch segment {
        case .literal(let t): text = t
        case .parameter: text = "{}"
        case .version: text = "{version}"
        }
        let edge = Edge(parent: node, segment: text)
        if let found = children[edge] { return found }
        let id = parents.count
        children[edge] = id
        parents.append(node)
        segments.append(text)
        keys.append(nil)
        return id
    }

    func lastSegment(_ node: Int) -> String { segments[node] }

    /// `<ns>:<segments joined by />`, built once per node.
    mutating func key(_ node: Int) -> String {
        if let known = keys[node] { return known }
        let built: String
        if node == Self.root {
            built = namespace + ":"
        } else if parents[node] == Self.root {
            built = namespace + ":" + segments[node]
        } else {
            built = key(parents[node]) + "/" + segments[node]
        }
        keys[node] = built
        return built
    }
}
