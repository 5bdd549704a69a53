/// Finds the catalog operation for a request: a segment trie over every path template, with the
/// version segment and path parameters as wildcards. Built once; immutable afterwards.
///
/// Matching prefers a literal segment over a parameter (`/clusters/$actions/...` before
/// `/clusters/{extId}/...`) and backtracks, so every template stays reachable.
public struct RouteTable: Sendable {
    public enum Match: Sendable {
        case found(Operation, parameters: [String: String])
        /// The path exists but not for this method; `allowed` feeds the 405 `Allow` header.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Children and methods are short runs searched in order, not dictionaries: most nodes
    /// have one to three of each, and comparing a segment's length and bytes is cheaper than
    /// hashing it (six String hashes per routed request). Nodes with many literals (the
    /// namespaces under `/api/`) keep a dictionary. The runs are ranges of two arrays shared by
    /// all nodes rather than two arrays per node: building those was a third of the table's cost.
    private struct Node: Sendable {
        var literals: Range<Int> = 0..<0
        var literalIndex: [String: Int]?
        var parameter: Int?
        var version: Int?
        /// Into `methods`: HTTP method -> index into `operations`.
        var methods: Range<Int> = 0..<0

        static let indexedLiterals = 8
    }

    private let nodes: [Node]
    private let literals: [(text: String, node: Int)]
    private let methods: [(method: String, operation: Int)]
    private let operations: [Operation]

    public init(operations: [Operation]) {
        self.operations = operations
        var builder = Builder()
        // The catalog lists operations by path, so most share a prefix of segments with the one
        // before, and a prefix always leads to the same node: only the segments after it are
        // looked up (or added). `trail[d]` is the node after the previous template's d segments.
        var trail = [0]
        var previous: [PathTemplate.Segment] = []
        for (index, operation) in operations.enumerated() {
            let segments = operation.template.segments
            var shared = 0
            while shared < segments.count, shared < previous.count, segments[shared] == previous[shared] { shared += 1 }
            trail.removeSubrange((shared + 1)...)
            var node = trail[shared]
            for segment in segments[shared...] {
                node = builder.child(of: node, for: segment)
                trail.append(node)
            }
            previous = segments
            // Two operations on one method and template cannot both be reached; the generator and
            // CatalogTests rule this out, and the first one wins deterministically.
            builder.add(method: operation.method, operation: index, at: node)
        }
        (nodes, literals, methods) = builder.finish()
    }

    private func literal(_ text: String, at node: Int) -> Int? {
        if let literalIndex = nodes[node].literalIndex { return literalIndex[text] }
        let count = text.utf8.count
        // By position, in place: no slice of the shared array per request and level.
        for position in nodes[node].literals where literals[position].text.utf8.count == count {
            if literals[position].text == text { return literals[position].node }
        }
        return nil
    }

    private func operation(_ method: String, at node: Int) -> Int? {
        for position in nodes[node].methods where methods[position].method == method { return methods[position].operation }
        return nil
    }

    /// The trie while it grows: each node's literals and methods are linked lists through two
    /// shared arrays, laid out as runs by `finish()`.
    private struct Builder {
        /// A linked list's ends and length; the caller links the previous last entry to the new one.
        struct Chain {
            var first = -1
            var last = -1
            var count = 0

            mutating func append(_ entry: Int) {
                if first < 0 { first = entry }
                last = entry
                count += 1
            }
        }

        struct Node {
            var literals = Chain()
            var literalIndex: [String: Int]?
            var parameter: Int?
            var version: Int?
            var methods = Chain()
        }

        var nodes = [Node()]
        var literals: [(text: String, node: Int, next: Int)] = []
        var methods: [(method: String, operation: Int, next: Int)] = []

        func literal(_ text: String, at node: Int) -> Int? {
            if let literalIndex = nodes[node].literalIndex { return literalIndex[text] }
            var link = nodes[node].literals.first
            while link >= 0 {
                if literals[link].text == text { return literals[link].node }
                link = literals[link].next
            }
            return nil
        }

        mutating func child(of node: Int, for segment: PathTemplate.Segment) -> Int {
            let existing: Int?
            switch segment {
            case .literal(let text): existing = literal(text, at: node)
            case .parameter: existing = nodes[node].parameter
            case .version: existing = nodes[node].version
            }
            if let existing { return existing }
            nodes.append(Node())
            let created = nodes.count - 1
            switch segment {
            case .literal(let text):
                literals.append((text, created, -1))
                let last = nodes[node].literals.last
                if last >= 0 { literals[last].next = literals.count - 1 }
                nodes[node].literals.append(literals.count - 1)
                if nodes[node].literalIndex != nil {
                    nodes[node].literalIndex?[text] = created
                } else if nodes[node].literals.count > RouteTable.Node.indexedLiterals {
                    var index: [String: Int] = [:]
                    var link = nodes[node].literals.first
                    while link >= 0 {
                        index[literals[link].text] = literals[link].node
                        link = literals[link].next
                    }
                    nodes[node].literalIndex = index
                }
            case .parameter: nodes[node].parameter = created
            case .version: nodes[node].version = created
            }
            return created
        }

        mutating func add(method: String, operation: Int, at node: Int) {
            var link = nodes[node].methods.first
            while link >= 0 {
                if methods[link].method == method { return }
                link = methods[link].next
            }
            methods.append((method, operation, -1))
            let last = nodes[node].methods.last
            if last >= 0 { methods[last].next = methods.count - 1 }
            nodes[node].methods.append(methods.count - 1)
        }

        /// Every node's literals and methods as one run each, in the order they were added.
        func finish() -> ([RouteTable.Node], [(text: String, node: Int)], [(method: String, operation: Int)]) {
            var outNodes: [RouteTable.Node] = []
            outNodes.reserveCapacity(nodes.count)
            var outLiterals: [(text: String, node: Int)] = []
            outLiterals.reserveCapacity(literals.count)
            var outMethods: [(method: String, operation: Int)] = []
            outMethods.reserveCapacity(methods.count)
            for node in nodes {
                let literalStart = outLiterals.count
                var link = node.literals.first
                while link >= 0 {
                    outLiterals.append((literals[link].text, literals[link].node))
                    link = literals[link].next
                }
                let methodStart = outMethods.count
                link = node.methods.first
                while link >= 0 {
                    outMethods.append((methods[link].method, methods[link].operation))
                    link = methods[link].next
                }
                outNodes.append(
                    RouteTable.Node(
                        literals: literalStart..<outLiterals.count, literalIndex: node.literalIndex,
                        parameter: node.parameter, version: node.version, methods: methodStart..<outMethods.count))
            }
            return (outNodes, outLiterals, outMethods)
        }
    }

    /// `segments` are the request path split on `/` and percent-decoded one by one
    /// (sdk-contract.md section 0, rule 5); `method` is upper case.
    public func match(method: String, segments: [String]) -> Match {
        // A concrete entry point: the generic one below, called across modules, would run
        // unspecialized (metadata lookups and witness calls per segment).
        matching(method: method, segments: segments)
    }

    public func match<S: StringProtocol>(method: String, segments: [S]) -> Match {
        matching(method: method, segments: segments)
    }

    /// As `match`, with the operation's position in the catalog's `operations`, for callers that
    /// keep per-operation data in an array built once at start.
    public func matchIndexed(method: String, segments: [String]) -> (match: Match, index: Int?) {
        var allowed: [String]?
        if let index = search(node: 0, depth: 0, method: method, segments: segments, allowed: &allowed) {
            let operation = operations[index]
            return (.found(operation, parameters: operation.template.match(segments) ?? [:]), index)
        }
        if let allowed { return (.methodNotAllowed(allowed: allowed), nil) }
        return (.notFound, nil)
    }

    /// The position in the catalog's `operations` of the operation `method` and `segments`
    /// name, or nil (no such path, or not for this method): for callers that need nothing else.
    public func operationIndex(method: String, segments: [String]) -> Int? {
        var allowed: [String]?
        return search(node: 0, depth: 0, method: method, segments: segments, allowed: &allowed)
    }

    private func matching<S: StringProtocol>(method: String, segments: [S]) -> Match {
        var allowed: [String]?
        if let index = search(node: 0, depth: 0, method: method, segments: segments, allowed: &allowed) {
            let operation = operations[index]
            return .found(operation, parameters: operation.template.match(segments) ?? [:])
        }
        if let allowed { return .methodNotAllowed(allowed: allowed) }
        return .notFound
    }

    /// Depth-first: literal, then version, then parameter. Records the methods of the first
    /// complete path that lacks `method`, in case no other path has it.
    private func search<S: StringProtocol>(
        node: Int, depth: Int, method: String, segments: [S], allowed: inout [String]?
    ) -> Int? {
        // Read the node in place: a `let` copy of it retains and releases its three dictionaries
        // at every level of every request.
        if depth == segments.count {
            if let index = operation(method, at: node) { return index }
            if allowed == nil, !nodes[node].methods.isEmpty { allowed = methods[nodes[node].methods].map(\.method).sorted() }
            return nil
        }
        let segment = segments[depth]
        if let next = literal(String(segment), at: node),
            let found = search(node: next, depth: depth + 1, method: method, segments: segments, allowed: &allowed)
        {
            return found
        }
        if let next = nodes[node].version, PathTemplate.isVersionSegment(segment),
            let found = search(node: next, depth: depth + 1, method: method, segments: segments, allowed: &allowed)
        {
            return found
        }
        if let next = nodes[node].parameter, !segment.isEmpty,
            let found = search(node: next, depth: depth + 1, method: method, segments: segments, allowed: &allowed)
        {
            return found
        }
        return nil
    }
}
