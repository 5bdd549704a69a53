/// `$orderby = orderbyItem *( "," orderbyItem )`, `orderbyItem = commonExpr [ RWS ( "asc" / "desc" ) ]`
/// (ABNF L327-328); `asc`/`desc` are case-insensitive in 4.01 (Part 1 §11.2.6.2).
public struct OrderByItem: Sendable {
    public let syntax: Node
    public let descending: Bool
    let expression: BoundExpression
}

extension Parser {
    mutating func orderByItems() throws(ODataError) -> [(Node, Bool)] {
        var items: [(Node, Bool)] = []
        while true {
            let node = try expression(0)
            var descending = false
            let token = currentToken
            if token.kind == .identifier {
                switch source.text(token.start, token.end).lowercased() {
                case "asc": try advance()
                case "desc":
                    descending = true
                    try advance()
                default: throw unexpected("expected 'asc', 'desc', ',' or end of input")
                }
            }
            items.append((node, descending))
            if currentToken.kind == .comma {
                try advance()
                continue
            }
            try expectEnd()
            return items
        }
    }
}

extension OrderByItem {
    static func parse(
        _ text: String, catalog: FieldCatalog, sortable: Set<String>?, options: ODataOptions,
        now: Int64
    ) throws(ODataError) -> [OrderByItem] {
        var parser = try Parser(
            text, option: "$orderby", maxDepth: options.maxDepth,
            nutanixCompat: options.nutanixCompat)
        var result: [OrderByItem] = []
        for (node, descending) in try parser.orderByItems() {
            var binder = Binder(catalog: catalog, option: "$orderby", source: text, now: now)
            binder.recordsPaths = sortable != nil
            let bound = try binder.bind(node)
            if let sortable {
                for path in binder.documentPaths where !sortable.contains(path.joined(separator: "/")) {
                    throw binder.error(.unknownProperty, "'\(path.joined(separator: "/"))' is not sortable", at: node)
                }
            }
            result.append(OrderByItem(syntax: node, descending: descending, expression: bound))
        }
        return result
    }

    /// The SQL sort key: instants for datetimes, declaration rank for enums, lowered GUIDs.
    func sqlKey(_ compiler: SQLCompiler) throws(ODataError) -> SQLFragment {
        switch expression.type {
        case .datetime: return try compiler.operand(expression, .instant)
        case .guid: return try compiler.operand(expression, .caseInsensitive)
        case .enumeration(let type): return try compiler.operand(expression, .enumRank(type))
        default: return try compiler.compile(expression)
        }
    }

    /// The evaluator's sort key, matching `sqlKey`.
    func key(_ document: JSON) -> Scalar {
        var evaluator = Evaluator(document: document)
        let value = evaluator.evaluate(expression)
        switch (expression.type, value) {
        case (.guid, .string(let text)): return .string(asciiLowercased(text))
        case (.enumeration(let type), _): return Evaluator.rank(value, type)
        case (.datetime, .datetime(let instant)): return .int(instant.milliseconds)
        default: return value
        }
    }
}
