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
        var walk = TrieWalk()
        // By index: binding `op` copies the whole Operation (two dozen retains and releases).
        for index in operations.indices { shapes.append(Shape(operations[index], trie: &trie, walk: &walk)) }

        // Collections that hold entities (something lists or creates in them).
        var known = [Bool](repeating: false, count: trie.count)
        for s in shapes {
            switch s.kind {
            case .list, .create: known[s.collection] = true
            default: continue
            }
        }
        var topLevel = [Int?](repeating: nil, count: trie.segmentCount)  // last segment -> collection node
        for s in shapes where s.parentParameter == nil && known[s.collection] {
            topLevel[trie.lastSegment(s.collection)] = s.collection
        }
        var items: [String: String] = [:]
        var roles: [OperationRole] = []
        roles.reserveCapacity(shapes.count)
        for (s, index) in zip(shapes, operations.indices) {
            var collection = s.collection
            var parent = s.parentCollection
            if s.parentParameter != nil {
                if known[collection], let a = topLevel[trie.lastSegment(collection)] { collection = a }
                if let p = parent, !known[p], let a = topLevel[trie.lastSegment(p)] { parent = a }
            }
            let role = OperationRole(
                kind: s.kind, collection: trie.key(collection), itemParameter: s.itemParameter,
                parentParameter: s.parentParameter, parentCollection: parent.map { trie.key($0) })
            if role.kind == .list, let item = operations[index].listItemModel, items[role.collection] == nil {
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

        init(_ op: PrismAPI.Operation, trie: inout CollectionTrie, walk: inout TrieWalk) {
            let segments = op.template.segments
            let (begin, end, item, verb) = OperationRole.bounds(segments)
            let nodes = walk.nodes(segments[begin..<end], in: &trie)
            collection = nodes[end - begin]
            itemParameter = item
            let parent = OperationRole.parent(segments, begin: begin, end: end)
            parentParameter = parent?.name
            parentCollection = parent.map { nodes[$0.index - begin] }
            kind = OperationRole.kind(of: op, onEntity: item != nil, verb: verb)
        }
    }
}

/// The node of every prefix of a collection path (so the parent's is at hand). Operations come
/// grouped by path, so the prefix shared with the previous operation is not looked up again.
private struct TrieWalk {
    private var segments: [PathTemplate.Segment] = []
    private(set) var nodes: [Int] = [CollectionTrie.root]

    mutating func nodes(_ path: ArraySlice<PathTemplate.Segment>, in trie: inout CollectionTrie) -> [Int] {
        var shared = 0
        while shared < segments.count, shared < path.count, segments[shared] == path[path.startIndex + shared] {
            shared += 1
        }
        segments.removeSubrange(shared...)
        nodes.removeSubrange((shared + 1)...)
        for segment in path.dropFirst(shared) {
            nodes.append(trie.child(of: nodes[nodes.count - 1], segment))
            segments.append(segment)
        }
        return nodes
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
    /// Per node: its last segment numbered (equal texts, equal numbers), so aliasing compares Ints.
    private var segmentNumbers: [Int] = [0]
    private var numbers: [String: Int] = [:]
    private var keys: [String?] = [nil]

    init(namespace: String) {
        self.namespace = namespace
        // The empty collection's "last segment" is its whole key, as `Contract.lastSegmentKey`
        // reads `ns:`.
        segments = [namespace + ":"]
        numbers[segments[0]] = 0
        children.reserveCapacity(64)
    }

    var count: Int { parents.count }
    var segmentCount: Int { numbers.count }

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
        if let number = numbers[text] {
            segmentNumbers.append(number)
        } else {
            segmentNumbers.append(numbers.count)
            numbers[text] = numbers.count
        }
        return id
    }

    /// The number of the node's last segment.
    func lastSegment(_ node: Int) -> Int { segmentNumbers[node] }

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
