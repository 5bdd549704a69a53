/// Primary expressions: literals, parentheses, member paths, lambdas and function calls.
extension Parser {
    mutating func primary() throws(ODataError) -> Node {
        let token = currentToken
        let start = token.start
        switch token.kind {
        case .openParen:
            try advance()
            let inner = try expression(0)
            try expect(.closeParen, "')'")
            return inner
        case .string:
            try advance()
            return Node(.literal(.string(unquote(token.start, token.end))), offset: start)
        case .typedLiteral:
            try advance()
            let qualifier = source.text(token.start, token.quote)
            return Node(.literal(.typed(qualifier: qualifier, value: unquote(token.quote, token.end))), offset: start)
        case .integer:
            try advance()
            let text = source.text(token.start, token.end)
            if let value = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) {
                return Node(.literal(.integer(value)), offset: start)
            }
            // Past Int64 (ABNF int64Literal is at most 19 digits) the value is a decimal.
            return Node(.literal(.double(Double(text) ?? .infinity)), offset: start)
        case .decimal:
            try advance()
            let text = source.text(token.start, token.end)
            guard let value = Double(text) else { throw unexpected("malformed number") }
            return Node(.literal(.double(value)), offset: start)
        case .guid:
            try advance()
            return Node(.literal(.guid(source.text(token.start, token.end))), offset: start)
        case .date:
            try advance()
            return Node(.literal(.date(source.text(token.start, token.end))), offset: start)
        case .dateTimeOffset:
            try advance()
            return Node(.literal(.dateTimeOffset(source.text(token.start, token.end))), offset: start)
        case .timeOfDay:
            try advance()
            return Node(.literal(.timeOfDay(source.text(token.start, token.end))), offset: start)
        case .identifier:
            return try identifierExpression()
        case .end:
            throw unexpected("expected an expression")
        default:
            throw unexpected("expected an expression")
        }
    }

    /// Decodes `'…'` between `start` (the opening quote) and `end` (after the closing quote).
    func unquote(_ start: Int, _ end: Int) -> String {
        let inner = source.bytes[(start + 1)..<(end - 1)]
        guard inner.contains(UInt8(ascii: "'")) else { return String(decoding: inner, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(inner.count)
        var skip = false
        for byte in inner {
            if skip {
                skip = false
                continue
            }
            bytes.append(byte)
            if byte == UInt8(ascii: "'") { skip = true }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func identifierExpression() throws(ODataError) -> Node {
        let token = currentToken
        let name = source.text(token.start, token.end)
        let followedByParen = source.byte(at: token.end) == UInt8(ascii: "(")
        if followedByParen {
            return try call(name, at: token.start)
        }
        switch name {
        case "null":
            try advance()
            return Node(.literal(.null), offset: token.start)
        case "INF", "NaN":
            try advance()
            return Node(.literal(.double(name == "INF" ? .infinity : .nan)), offset: token.start)
        default:
            break
        }
        switch name.lowercased() {
        case "true", "false":
            try advance()
            return Node(.literal(.boolean(name.lowercased() == "true")), offset: token.start)
        default:
            return try memberPath()
        }
    }

    private mutating func segmentName() throws(ODataError) -> String {
        let token = currentToken
        guard token.kind == .identifier else { throw unexpected("expected a property name") }
        let name = source.text(token.start, token.end)
        if name.utf8.contains(UInt8(ascii: ".")) { throw unexpected("expected a property name, not a qualified name") }
        if name.hasPrefix("$"), name != "$it", name != "$this" { throw unexpected("unknown variable") }
        if token.end - token.start > 128 { throw unexpected("identifier longer than 128 characters") }
        try advance()
        return name
    }

    /// `firstMemberExpr` with `/`-separated segments, ending optionally in `any(…)`/`all(…)`.
    private mutating func memberPath() throws(ODataError) -> Node {
        let start = currentToken.start
        var path = [try segmentName()]
        while currentToken.kind == .slash {
            try advance()
            let token = currentToken
            let word = token.kind == .identifier ? source.text(token.start, token.end).lowercased() : ""
            if word == "any" || word == "all", source.byte(at: token.end) == UInt8(ascii: "(") {
                return try lambda(path, word == "any" ? .any : .all, start: start)
            }
            path.append(try segmentName())
        }
        return Node(.member(path), offset: start)
    }

    /// `anyExpr`/`allExpr` (ABNF L604-606); `any()` without a lambda means "not empty".
    private mutating func lambda(_ path: [String], _ kind: LambdaKind, start: Int) throws(ODataError) -> Node {
        try advance()
        try expect(.openParen, "'('")
        if kind == .any, currentToken.kind == .closeParen {
            try advance()
            return Node(.lambda(path: path, kind: kind, variable: nil, predicate: nil), offset: start)
        }
        let variable = try segmentName()
        if variable.hasPrefix("$") { throw unexpected("expected a lambda variable name") }
        try expect(.colon, "':' after the lambda variable")
        let predicate = try expression(0)
        try expect(.closeParen, "')'")
        let node = Node(
            .lambda(path: path, kind: kind, variable: variable, predicate: predicate), offset: start,
            height: predicate.height + 1)
        return node
    }

    private mutating func call(_ name: String, at start: Int) throws(ODataError) -> Node {
        let lowered = name.lowercased()
        if lowered == "isof" || lowered == "cast" {
            return try typeFunction(lowered == "isof", at: start)
        }
        guard let function = Function.byLowercasedName[lowered] else {
            throw ODataError(
                .unknownFunction, option: source.option, offset: start, token: name,
                message: "unknown function '\(name)'")
        }
        try advance()
        try advance()  // the '(' that follows the name without whitespace (ABNF L608ff)
        var arguments: [Node] = []
        if currentToken.kind != .closeParen {
            while true {
                arguments.append(try expression(0))
                if currentToken.kind == .comma {
                    try advance()
                    continue
                }
                break
            }
        }
        try expect(.closeParen, arguments.count < function.arity.upperBound ? "',' or ')'" : "')'")
        guard function.arity.contains(arguments.count) else {
            throw ODataError(
                .syntax, option: source.option, offset: start, token: name,
                message: "function '\(function.rawValue)' takes \(Parser.describe(function.arity)) "
                    + "arguments, \(arguments.count) given")
        }
        let height = arguments.reduce(0) { max($0, $1.height) } + 1
        return Node(.call(function, arguments), offset: start, height: height)
    }

    private static func describe(_ arity: ClosedRange<Int>) -> String {
        arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
    }

    /// `isof`/`castExpr = name "(" [ commonExpr "," ] optionallyQualifiedTypeName ")"`.
    private mutating func typeFunction(_ isOf: Bool, at start: Int) throws(ODataError) -> Node {
        try advance()
        try advance()
        var operand: Node?
        if !(currentToken.kind == .identifier
            && source.text(currentToken.start, currentToken.end).utf8.contains(UInt8(ascii: "."))
            && [.closeParen].contains(peekKindAfterCurrent()))
        {
            operand = try expression(0)
            try expect(.comma, "','")
        }
        guard currentToken.kind == .identifier else { throw unexpected("expected a type name") }
        let typeName = source.text(currentToken.start, currentToken.end)
        try advance()
        try expect(.closeParen, "')'")
        let height = (operand?.height ?? 0) + 1
        return Node(isOf ? .isOf(operand, typeName) : .cast(operand, typeName), offset: start, height: height)
    }

    private func peekKindAfterCurrent() -> Token.Kind {
        var copy = source
        copy.skipWhitespace()
        return (try? copy.next()).map(\.kind) ?? .end
    }
}
