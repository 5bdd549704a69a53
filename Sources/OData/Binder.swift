/// Resolves a syntax tree against a `FieldCatalog`: property paths, lambda variables, literal
/// types (incl. the Nutanix dialect of odata.md §0/§6) and operator typing.
struct Binder {
    let catalog: FieldCatalog
    let option: String
    /// The option's text, only read to quote the offending token in errors.
    let source: String
    /// `now()` in Unix milliseconds, formatted only when a filter uses it.
    let now: Int64
    /// Lambda variables in scope, outermost first; a variable's root index is its position + 1.
    private var scopes: [(name: String, element: FieldType)] = []
    /// Document-rooted paths the expression reads (for `$orderby` against the sortable list).
    private(set) var documentPaths: [[String]] = []
    var recordsPaths = false

    init(catalog: FieldCatalog, option: String, source: String, now: Int64) {
        self.catalog = catalog
        self.option = option
        self.source = source
        self.now = now
    }

    func error(_ kind: ODataError.Kind, _ message: String, at node: Node) -> ODataError {
        let source = Array(self.source.utf8)
        let start = min(node.offset, source.count)
        let end = min(Lexer.tokenEnd(source, from: start), source.count)
        let token = start < end ? String(decoding: source[start..<end], as: UTF8.self) : "end of input"
        return ODataError(kind, option: option, offset: node.offset, token: token, message: message)
    }

    mutating func bindPredicate(_ node: Node) throws(ODataError) -> BoundExpression {
        let bound = try bind(node)
        guard bound.type == .boolean || bound.type == .null else {
            throw error(.typeMismatch, "the expression must evaluate to a boolean, not \(bound.type.name)", at: node)
        }
        return bound
    }

    mutating func bind(_ node: Node) throws(ODataError) -> BoundExpression {
        switch node.expression {
        case .literal(let literal):
            return try bindLiteral(literal, at: node)
        case .member(let path):
            let (root, rest, type) = try resolve(path, at: node)
            guard let valueType = ValueType(type) else {
                throw error(
                    .typeMismatch, "'\(path.joined(separator: "/"))' is a collection or object, not a value",
                    at: node)
            }
            return BoundExpression(.field(root: root, path: rest), valueType)
        case .lambda(let path, let kind, let variable, let predicate):
            return try bindLambda(path, kind, variable, predicate, at: node)
        case .call(let function, let arguments):
            return try bindCall(function, arguments, at: node)
        case .not(let operand):
            let bound = try bindBoolean(operand)
            return BoundExpression(.not(bound), .boolean)
        case .negate(let operand):
            let bound = try bindNumeric(operand)
            if case .constant(.int(let value)) = bound.kind, value != .min {
                return BoundExpression(.constant(.int(-value)), .integer)
            }
            return BoundExpression(.negate(bound), bound.type)
        case .binary(let op, let left, let right):
            return op.isComparison
                ? try bindComparison(op, left, right, at: node) : try bindArithmetic(op, left, right)
        case .logical(let op, let operands):
            var bound: [BoundExpression] = []
            for operand in operands { bound.append(try bindBoolean(operand)) }
            return BoundExpression(op == .and ? .and(bound) : .or(bound), .boolean)
        case .inList(let left, let items):
            return try bindIn(left, items, at: node)
        case .has(let left, let right):
            return try bindHas(left, right, at: node)
        case .isOf, .cast:
            throw error(.unsupported, "isof and cast are not supported", at: node)
        }
    }

    mutating func bindBoolean(_ node: Node) throws(ODataError) -> BoundExpression {
        let bound = try bind(node)
        guard bound.type == .boolean || bound.type == .null else {
            throw error(.typeMismatch, "expected a boolean operand, found \(bound.type.name)", at: node)
        }
        return bound
    }

    mutating func bindNumeric(_ node: Node) throws(ODataError) -> BoundExpression {
        let bound = try bind(node)
        guard bound.type.isNumeric || bound.type == .null else {
            throw error(.typeMismatch, "expected a number, found \(bound.type.name)", at: node)
        }
        return bound
    }

    /// Resolves a member path to (root, path below the root, type).
    mutating func resolve(_ path: [String], at node: Node) throws(ODataError) -> (Int, [String], FieldType) {
        guard let first = path.first else { throw error(.syntax, "empty path", at: node) }
        var root = 0
        var rest = path[...]
        var type: FieldType = .object(catalog)
        if first == "$it" {
            rest = path.dropFirst()
        } else if let index = scopes.lastIndex(where: { $0.name == first }) {
            root = index + 1
            type = scopes[index].element
            rest = path.dropFirst()
        }
        if first == "$this" {
            guard let innermost = scopes.last else { throw error(.unknownProperty, "$this outside a lambda", at: node) }
            root = scopes.count
            type = innermost.element
            rest = path.dropFirst()
        }
        for segment in rest {
            guard case .object(let fields) = type else {
                throw error(
                    .unknownProperty, "'\(segment)' cannot follow a non-object in '\(path.joined(separator: "/"))'",
                    at: node)
            }
            guard let next = fields.fields[segment] else {
                throw error(.unknownProperty, "unknown property '\(path.joined(separator: "/"))'", at: node)
            }
            type = next
        }
        if root == 0, recordsPaths { documentPaths.append(Array(rest)) }
        return (root, Array(rest), type)
    }

    /// Nutanix lists collection paths such as `entitiesAffected/extId` or `clusterExtIds` as
    /// filterable; a comparison on such a path reads as an implicit `any` over the collection
    /// (odata.md §4). Returns the path up to the first collection and the path below it.
    func collectionSplit(_ path: [String]) -> (prefix: [String], rest: [String])? {
        guard let first = path.first else { return nil }
        var type: FieldType = .object(catalog)
        var start = 0
        if let index = scopes.lastIndex(where: { $0.name == first }) {
            type = scopes[index].element
            start = 1
        } else if first == "$it" {
            start = 1
        }
        for index in start..<path.count {
            guard case .object(let fields) = type, let next = fields.fields[path[index]] else { return nil }
            if case .array(let element) = next {
                let isLast = index == path.count - 1
                if isLast, !element.isPrimitive { return nil }
                return (Array(path[...index]), Array(path[(index + 1)...]))
            }
            type = next
        }
        return nil
    }

    /// Rewrites `coll/x op y` as `coll/any($anyN:$anyN/x op y)`; nil when no side crosses a collection.
    mutating func implicitAny(_ node: Node, _ operand: Node, rebuild: (Node) -> Expression) throws(ODataError)
        -> BoundExpression?
    {
        guard case .member(let path) = operand.expression, let (prefix, rest) = collectionSplit(path) else {
            return nil
        }
        let variable = "$any\(scopes.count)"
        let member = Node(.member([variable] + rest), offset: operand.offset)
        let predicate = Node(rebuild(member), offset: node.offset, height: node.height)
        let lambda = Node(.lambda(path: prefix, kind: .any, variable: variable, predicate: predicate),
                          offset: node.offset, height: node.height + 1)
        return try bind(lambda)
    }

    private mutating func bindLambda(
        _ path: [String], _ kind: LambdaKind, _ variable: String?, _ predicate: Node?,
        at node: Node
    ) throws(ODataError) -> BoundExpression {
        let (root, rest, type) = try resolve(path, at: node)
        guard case .array(let element) = type else {
            throw error(.typeMismatch, "\(kind.rawValue) may only follow a collection", at: node)
        }
        guard let variable, let predicate else {
            return BoundExpression(
                .lambda(kind, root: root, path: rest, variable: scopes.count + 1, predicate: nil),
                .boolean)
        }
        if scopes.contains(where: { $0.name == variable }) {
            throw error(
                .typeMismatch, "the range variable '\(variable)' is already declared",
                at: node)
        }
        scopes.append((variable, element))
        defer { scopes.removeLast() }
        let bound = try bindBoolean(predicate)
        return BoundExpression(
            .lambda(kind, root: root, path: rest, variable: scopes.count, predicate: bound), .boolean)
    }

    private mutating func bindIn(_ left: Node, _ items: [Node], at node: Node) throws(ODataError) -> BoundExpression {
        if let rewritten = try implicitAny(node, left, rebuild: { .inList($0, items) }) { return rewritten }
        let bound = try bind(left)
        var constants: [BoundExpression] = []
        var mode = CompareMode.plain
        for item in items {
            guard case .literal(let literal) = item.expression else {
                throw error(.syntax, "'in' lists may only hold literals", at: item)
            }
            let (constant, never) = try coerce(literal, to: bound.type, at: item)
            if never { continue }
            if bound.type == .guid || constant.type == .guid { mode = .caseInsensitive }
            if bound.type == .datetime { mode = .instant }
            constants.append(constant)
        }
        return BoundExpression(.inList(bound, constants, mode), .boolean)
    }

    private mutating func bindHas(_ left: Node, _ right: Node, at node: Node) throws(ODataError) -> BoundExpression {
        let bound = try bind(left)
        guard case .enumeration(let type) = bound.type else {
            throw error(.typeMismatch, "'has' needs an enum property on the left", at: left)
        }
        let text: String
        switch right.expression {
        case .literal(.string(let value)): text = value
        case .literal(.typed(_, let value)): text = value
        default: throw error(.syntax, "'has' needs an enum literal on the right", at: right)
        }
        var members: [String] = []
        for member in text.split(separator: ",") {
            let name = member.trimmingSpaces()
            guard type.rank(of: name) != nil else {
                throw error(
                    .unknownEnumMember, "'\(name)' is not a member of \(type.qualifiedName ?? "the enum")",
                    at: right)
            }
            members.append(name)
        }
        return BoundExpression(.has(bound, members), .boolean)
    }
}

extension Substring {
    /// Without leading and trailing SP/HTAB; works on UTF-8 bytes (both are ASCII, so the cut
    /// points are always character boundaries).
    func trimmingSpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(self[first...last])
    }
}

extension String {
    func trimmingSpaces() -> String { self[...].trimmingSpaces() }
}
