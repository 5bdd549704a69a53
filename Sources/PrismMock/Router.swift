import PrismAPI

/// Finds the catalog operation for a decoded path: a trie over the segments of every template,
/// literal children tried before the parameter child, the `v4.x` segment matched by shape.
/// Built once at start and read-only afterwards.
struct Router: Sendable {
    enum Match: Equatable {
        /// The operation's index in the catalog and its path parameters.
        case found(operation: Int, parameters: [String: String])
        /// The path exists but not for this method; `allow` lists the methods that do.
        case methodNotAllowed(allow: [String])
        case notFound
    }

    private final class Builder {
        var literals: [String: Builder] = [:]
        var parameter: (name: String, node: Builder)?
        var version: Builder?
        var methods: [String: Int] = [:]

        func freeze() -> Node {
            Node(
                literals: literals.mapValues { $0.freeze() },
                parameter: parameter?.node.freeze(),
                version: version?.freeze(),
                methods: methods)
        }
    }

    private final class Node: Sendable {
        let literals: [String: Node]
        let parameter: Node?
        let version: Node?
        let methods: [String: Int]

        init(literals: [String: Node], parameter: Node?, version: Node?, methods: [String: Int]) {
            self.literals = literals
            self.parameter = parameter
            self.version = version
            self.methods = methods
        }
    }

    private let root: Node

    init(operations: [Operation]) {
        let root = Builder()
        for (index, op) in operations.enumerated() {
            var node = root
            for segment in op.template.segments {
                switch segment {
                case .literal(let text):
                    if let next = node.literals[text] {
                        node = next
                    } else {
                        let next = Builder()
                        node.literals[text] = next
                        node = next
                    }
                case .version:
                    if node.version == nil { node.version = Builder() }
                    node = node.version ?? node
                case .parameter(let name):
                    // Sibling templates name the same position differently (`{extId}` vs
                    // `{vmExtId}`); one trie node serves both and each operation keeps its names.
                    if node.parameter == nil { node.parameter = (name, Builder()) }
                    node = node.parameter?.node ?? node
                }
            }
            // The first operation wins on an exact duplicate (method + template); none exist today.
            if node.methods[op.method] == nil { node.methods[op.method] = index }
        }
        self.root = root.freeze()
    }

    /// Matches decoded segments; parameter names come from the matched operation's own template.
    func match(method: String, segments: [String], operations: [Operation]) -> Match {
        var values: [String] = []
        values.reserveCapacity(4)
        guard let node = Router.walk(root, segments[...], &values) else { return .notFound }
        let lookup = method == "HEAD" ? "GET" : method
        guard let index = node.methods[lookup] else {
            var allow = node.methods.keys.sorted()
            if allow.contains("GET") { allow.append("HEAD") }
            return allow.isEmpty ? .notFound : .methodNotAllowed(allow: allow)
        }
        let names = operations[index].template.parameterNames
        var parameters: [String: String] = [:]
        for (name, value) in zip(names, values) { parameters[name] = value }
        return .found(operation: index, parameters: parameters)
    }

    private static func walk(_ node: Node, _ rest: ArraySlice<String>, _ values: inout [String]) -> Node? {
        guard let head = rest.first else { return node.methods.isEmpty ? nil : node }
        let tail = rest.dropFirst()
        if let next = node.literals[head], let found = walk(next, tail, &values) { return found }
        if let next = node.version, PathTemplate.isVersionSegment(head), let found = walk(next, tail, &values) {
            return found
        }
        if let next = node.parameter, !head.isEmpty {
            values.append(head)
            if let found = walk(next, tail, &values) { return found }
            values.removeLast()
        }
        return nil
    }
}
