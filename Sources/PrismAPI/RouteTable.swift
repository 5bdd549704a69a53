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

    /// Children and methods are short arrays searched in order, not dictionaries: most nodes
    /// have one to three of each, and comparing a segment's length and bytes is cheaper than
    /// hashing it (six String hashes per routed request). Nodes with many literals (the
    /// namespaces under `/api/`) keep a dictionary.
    private struct Node: Sendable {
        var literals: [(text: String, node: Int)] = []
        var literalIndex: [String: Int]?
        var parameter: Int?
        var version: Int?
        /// HTTP method -> index into `operations`.
        var methods: [(method: String, operation: Int)] = []

        static let indexedLiterals = 8

        func literal(_ text: String) -> Int? {
            if let literalIndex { return literalIndex[text] }
            let count = text.utf8.count
            for entry in literals where entry.text.utf8.count == count && entry.text == text { return entry.node }
            return nil
        }

        func operation(_ method: String) -> Int? {
            for entry in methods where entry.method == method { return entry.operation }
            return nil
        }
    }

    private var nodes: [Node] = [Node()]
    private let operations: [Operation]

    public init(operations: [Operation]) {
        self.operations = operations
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
                node = child(of: node, for: segment)
                trail.append(node)
            }
            previous = segments
            // Two operations on one method and template cannot both be reached; the generator and
            // CatalogTests rule this out, and the first one wins deterministically.
            if nodes[node].operation(operation.method) == nil {
                nodes[node].methods.append((operation.method, index))
            }
        }
    }

    private mutating func child(of node: Int, for segment: PathTemplate.Segment) -> Int {
        let existing: Int?
        switch segment {
        case .literal(let text): existing = nodes[node].literal(text)
        case .parameter: existing = nodes[node].parameter
        case .version: existing = nodes[node].version
        }
        if let existing { return existing }
        nodes.append(Node())
        let created = nodes.count - 1
        switch segment {
        case .literal(let text):
            nodes[node].literals.append((text, created))
            if nodes[node].literalIndex != nil {
                nodes[node].literalIndex?[text] = created
            } else if nodes[node].literals.count > Node.indexedLiterals {
                nodes[node].literalIndex = Dictionary(
                    nodes[node].literals.map { ($0.text, $0.node) }, uniquingKeysWith: { first, _ in first })
            }
        case .parameter: nodes[node].parameter = created
        case .version: nodes[node].version = created
        }
        return created
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
            if let index = nodes[node].operation(method) { return index }
            if allowed == nil, !nodes[node].methods.isEmpty { allowed = nodes[node].methods.map(\.method).sorted() }
            return nil
        }
        let segment = segments[depth]
        if let next = nodes[node].literal(String(segment)),
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
