/// Recursive-descent (Pratt) parser for the OData 4.01 `commonExpr` grammar (ABNF L478-L717).
///
/// Precedence follows the normative table of Part 2 §5.1.1.16 rather than the flat ABNF:
/// or < and < eq,ne < gt,ge,lt,le,isof < add,sub < mul,div,divby,mod < not,- < in,has < primary.
/// All binary operators are left-associative.
struct Parser {
    static let defaultMaxDepth = 100
    static let maxInputBytes = 64 * 1024

    private var lexer: Lexer
    private var current: Token
    private let maxDepth: Int
    private var depth = 0
    /// Nutanix sends infix `name startswith 'x'` / `name contains 'x'` (odata.md §0.1).
    private let nutanixCompat: Bool

    init(_ text: String, option: String, maxDepth: Int = Parser.defaultMaxDepth, nutanixCompat: Bool = true)
        throws(ODataError)
    {
        lexer = Lexer(text, option: option)
        self.maxDepth = maxDepth
        self.nutanixCompat = nutanixCompat
        current = Token(kind: .end, start: 0, end: 0)
        if lexer.bytes.count > Parser.maxInputBytes {
            throw ODataError(
                .syntax, option: option, offset: Parser.maxInputBytes, token: "…",
                message: "expression longer than \(Parser.maxInputBytes) bytes")
        }
        current = try lexer.next()
    }

    /// Parses a whole `$filter` value.
    static func parseFilter(_ text: String, option: String = "$filter", maxDepth: Int = defaultMaxDepth,
                            nutanixCompat: Bool = true) throws(ODataError) -> Node
    {
        var parser = try Parser(text, option: option, maxDepth: maxDepth, nutanixCompat: nutanixCompat)
        let node = try parser.expression(0)
        try parser.expectEnd()
        return node
    }

    var atEnd: Bool { current.kind == .end }
    var currentToken: Token { current }
    var source: Lexer { lexer }

    mutating func expectEnd() throws(ODataError) {
        if current.kind != .end { throw unexpected("expected an operator or end of input") }
    }

    mutating func advance() throws(ODataError) { current = try lexer.next() }

    func unexpected(_ message: String) -> ODataError {
        ODataError(.syntax, option: lexer.option, offset: current.start, token: lexer.text(current), message: message)
    }

    mutating func expect(_ kind: Token.Kind, _ what: String) throws(ODataError) {
        guard current.kind == kind else { throw unexpected("expected \(what)") }
        try advance()
    }

    /// The keyword spelled by the current token, lowercased, if it is an identifier.
    private func keyword() -> String? {
        guard current.kind == .identifier, current.end - current.start <= 10 else { return nil }
        // ASCII-only lowering: every keyword is ASCII, and this avoids Unicode case mapping per token.
        return asciiLowercased(lexer.text(current))
    }

    private mutating func enter() throws(ODataError) {
        depth += 1
        if depth > maxDepth {
            throw ODataError(
                .depthExceeded, option: lexer.option, offset: current.start, token: lexer.text(current),
                message: "expression nested deeper than \(maxDepth) levels")
        }
    }

    private func checkHeight(_ node: Node) throws(ODataError) -> Node {
        if node.height > maxDepth {
            throw ODataError(
                .depthExceeded, option: lexer.option, offset: node.offset, token: lexer.text(current),
                message: "expression nested deeper than \(maxDepth) levels")
        }
        return node
    }

    mutating func expression(_ minimum: Int) throws(ODataError) -> Node {
        try enter()
        defer { depth -= 1 }
        var left = try unary()
        while let word = keyword() {
            let start = left.offset
            if word == "or" || word == "and" {
                let op: LogicalOperator = word == "or" ? .or : .and
                let precedence = op == .or ? 1 : 2
                guard precedence >= minimum else { break }
                try advance()
                let right = try expression(precedence + 1)
                var operands: [Node]
                if case .logical(op, let existing) = left.expression { operands = existing } else { operands = [left] }
                if case .logical(op, let more) = right.expression { operands += more } else { operands.append(right) }
                let height = operands.reduce(0) { max($0, $1.height) } + 1
                left = try checkHeight(Node(.logical(op, operands), offset: start, height: height))
            } else if let op = BinaryOperator(rawValue: word) {
                guard op.precedence >= minimum else { break }
                try advance()
                let right = try expression(op.precedence + 1)
                left = try checkHeight(binary(.binary(op, left, right), start, left, right))
            } else if word == "in" || word == "has" {
                guard 8 >= minimum else { break }
                try advance()
                if word == "in" {
                    let list = try inList()
                    let height = list.reduce(left.height) { max($0, $1.height) } + 1
                    left = try checkHeight(Node(.inList(left, list), offset: start, height: height))
                } else {
                    let right = try unary()
                    left = try checkHeight(binary(.has(left, right), start, left, right))
                }
            } else if nutanixCompat, let function = Parser.infixFunctions[word] {
                guard 4 >= minimum else { break }
                try advance()
                let right = try expression(5)
                left = try checkHeight(binary(.call(function, [left, right]), start, left, right))
            } else {
                break
            }
        }
        return left
    }

    private static let infixFunctions: [String: Function] = [
        "startswith": .startswith, "contains": .contains, "endswith": .endswith,
    ]

    private func binary(_ expression: Expression, _ start: Int, _ left: Node, _ right: Node) -> Node {
        Node(expression, offset: start, height: max(left.height, right.height) + 1)
    }

    /// `listExpr = "(" [ item *( "," item ) ] ")"` (ABNF L688); items are parsed as expressions and
    /// the binder insists on constants.
    private mutating func inList() throws(ODataError) -> [Node] {
        try expect(.openParen, "'(' to start the list after 'in'")
        var items: [Node] = []
        if current.kind == .closeParen {
            try advance()
            return items
        }
        while true {
            // Above and/or, so that a stray `and` in a list is reported where it stands.
            items.append(try expression(3))
            if current.kind == .comma {
                try advance()
                continue
            }
            try expect(.closeParen, "',' or ')'")
            return items
        }
    }

    /// Unary level: `not` and negation take an operand at their own precedence (7).
    mutating func unary() throws(ODataError) -> Node {
        let start = current.start
        if current.kind == .minus {
            try enter()
            defer { depth -= 1 }
            try advance()
            let operand = try expression(7)
            return try checkHeight(Node(.negate(operand), offset: start, height: operand.height + 1))
        }
        if keyword() == "not", lexer.byte(at: current.end) != UInt8(ascii: "/") {
            try enter()
            defer { depth -= 1 }
            try advance()
            let operand = try expression(7)
            return try checkHeight(Node(.not(operand), offset: start, height: operand.height + 1))
        }
        return try primary()
    }
}
