/// Literal typing and comparison binding, including the Nutanix dialect (odata.md §0, §6.2, §6.3).
extension Binder {
    func bindLiteral(_ literal: Literal, at node: Node) throws(ODataError) -> BoundExpression {
        switch literal {
        case .null: return BoundExpression(.constant(.null), .null)
        case .boolean(let value): return BoundExpression(.constant(.bool(value)), .boolean)
        case .integer(let value): return BoundExpression(.constant(.int(value)), .integer)
        case .double(let value): return BoundExpression(.constant(.double(value)), .double)
        case .string(let value): return BoundExpression(.constant(.string(value)), .string)
        case .guid(let value): return BoundExpression(.constant(.string(value.lowercased())), .guid)
        case .date: return try coerce(literal, to: .date, at: node).0
        case .dateTimeOffset: return try coerce(literal, to: .datetime, at: node).0
        case .timeOfDay: return try coerce(literal, to: .timeOfDay, at: node).0
        case .typed(let qualifier, let value):
            switch qualifier.lowercased() {
            case "duration": return try coerce(literal, to: .duration, at: node).0
            case "binary", "geography", "geometry":
                throw error(.unsupported, "\(qualifier) literals are not supported", at: node)
            default:
                // An enum literal with nothing to resolve it against compares as its member name.
                return BoundExpression(.constant(.string(value)), .string)
            }
        }
    }

    /// Converts a literal to the type of the other operand. `never` marks a literal that can
    /// match nothing of that type (a non-UUID string against a UUID field, NaN).
    func coerce(_ literal: Literal, to target: ValueType, at node: Node) throws(ODataError) -> (BoundExpression, Bool) {
        func mismatch() -> ODataError {
            error(
                .typeMismatch, "a \(Binder.kindName(literal)) literal cannot be compared with \(target.name)",
                at: node)
        }
        if case .null = literal { return (BoundExpression(.constant(.null), .null), false) }
        if case .double(let value) = literal, value.isNaN, target.isNumeric {
            return (BoundExpression(.constant(.double(value)), .double), true)
        }
        switch target {
        case .null:
            return (try bindLiteral(literal, at: node), false)
        case .string:
            switch literal {
            case .string(let value): return (BoundExpression(.constant(.string(value)), .string), false)
            case .guid(let value): return (BoundExpression(.constant(.string(value.lowercased())), .guid), false)
            default: throw mismatch()
            }
        case .guid:
            switch literal {
            case .guid(let value): return (BoundExpression(.constant(.string(value.lowercased())), .guid), false)
            case .string(let value):
                let never = !Binder.isUUID(value)
                return (BoundExpression(.constant(.string(value.lowercased())), .guid), never)
            default: throw mismatch()
            }
        case .enumeration(let type):
            let member: String
            switch literal {
            case .string(let value): member = value
            case .typed(let qualifier, let value) where !["duration", "binary"].contains(qualifier.lowercased()):
                member = value
            default: throw mismatch()
            }
            guard type.rank(of: member) != nil else {
                throw error(
                    .unknownEnumMember, "'\(member)' is not a member of \(type.qualifiedName ?? "the enum")",
                    at: node)
            }
            return (BoundExpression(.constant(.string(member)), target), false)
        case .datetime:
            let text: String
            switch literal {
            case .dateTimeOffset(let value), .string(let value): text = value
            case .date(let value): text = value + "T00:00:00Z"
            default: throw mismatch()
            }
            // OData literals allow lowercase `t`/`z` (ABNF is case-insensitive); SQLite does not.
            guard let parsed = DateTime(parsing: text.uppercased()) else {
                throw error(.typeMismatch, "'\(text)' is not a valid dateTimeOffset", at: node)
            }
            // Keep the literal's own offset: year()…second() read the local components (Part 2 §5.1.1.8).
            let value = DateTime(milliseconds: parsed.milliseconds, text: text.uppercased())
            return (BoundExpression(.constant(.datetime(value)), .datetime), false)
        case .date:
            switch literal {
            case .date(let value), .string(let value):
                guard value.utf8.count == 10, DateTime(parsing: value) != nil else {
                    throw error(.typeMismatch, "'\(value)' is not a valid date", at: node)
                }
                return (BoundExpression(.constant(.date(value)), .date), false)
            default: throw mismatch()
            }
        case .timeOfDay:
            guard case .timeOfDay(let value) = literal, let parsed = DateTime(parsing: "1970-01-01T" + value) else {
                throw mismatch()
            }
            return (BoundExpression(.constant(.time(parsed.milliseconds)), .timeOfDay), false)
        case .duration:
            switch literal {
            case .typed(_, let value), .string(let value):
                guard let milliseconds = Duration.parse(value) else {
                    throw error(.typeMismatch, "'\(value)' is not a valid duration", at: node)
                }
                return (BoundExpression(.constant(.duration(milliseconds)), .duration), false)
            default: throw mismatch()
            }
        case .integer, .double:
            switch literal {
            case .integer(let value): return (BoundExpression(.constant(.int(value)), .integer), false)
            case .double(let value): return (BoundExpression(.constant(.double(value)), .double), false)
            default: throw mismatch()
            }
        case .boolean:
            guard case .boolean(let value) = literal else { throw mismatch() }
            return (BoundExpression(.constant(.bool(value)), .boolean), false)
        }
    }

    static func kindName(_ literal: Literal) -> String {
        switch literal {
        case .null: "null"
        case .boolean: "boolean"
        case .integer: "integer"
        case .double: "decimal"
        case .string: "string"
        case .guid: "guid"
        case .date: "date"
        case .dateTimeOffset: "dateTimeOffset"
        case .timeOfDay: "timeOfDay"
        case .typed(let qualifier, _): qualifier
        }
    }

    static func isUUID(_ text: String) -> Bool {
        let lexer = Lexer(text, option: "")
        return lexer.matchGUID(at: 0) == lexer.bytes.count
    }

    static func compatible(_ a: ValueType, _ b: ValueType) -> Bool {
        if a == .null || b == .null || a == b { return true }
        if a.isNumeric && b.isNumeric { return true }
        if a.isText && b.isText {
            // Two different enums never compare; an enum with a string or guid does (by name).
            if case .enumeration = a, case .enumeration = b { return false }
            return true
        }
        return false
    }

    mutating func bindComparison(_ op: BinaryOperator, _ left: Node, _ right: Node, at node: Node)
        throws(ODataError) -> BoundExpression
    {
        if let rewritten = try implicitAny(node, left, rebuild: { .binary(op, $0, right) }) { return rewritten }
        if let rewritten = try implicitAny(node, right, rebuild: { .binary(op, left, $0) }) { return rewritten }
        var never = false
        let l: BoundExpression
        let r: BoundExpression
        switch (left.expression, right.expression) {
        case (.literal(let a), .literal(let b)):
            l = try bindLiteral(a, at: left)
            (r, never) = try coerce(b, to: l.type, at: right)
        case (.literal(let a), _):
            r = try bind(right)
            (l, never) = try coerce(a, to: r.type, at: left)
        case (_, .literal(let b)):
            l = try bind(left)
            (r, never) = try coerce(b, to: l.type, at: right)
        default:
            l = try bind(left)
            r = try bind(right)
        }
        guard Binder.compatible(l.type, r.type) else {
            throw error(
                .typeMismatch, "cannot compare \(l.type.name) with \(r.type.name) using '\(op.rawValue)'",
                at: node)
        }
        var mode = CompareMode.plain
        if never {
            mode = .never
        } else if l.type == .guid || r.type == .guid {
            mode = .caseInsensitive
        } else if l.type == .datetime || r.type == .datetime {
            mode = .instant
        } else if op != .eq, op != .ne, case .enumeration(let type) = l.type, l.type == r.type {
            mode = .enumRank(type)
        }
        return BoundExpression(.compare(op, l, r, mode), .boolean)
    }

    mutating func bindArithmetic(_ op: BinaryOperator, _ left: Node, _ right: Node) throws(ODataError)
        -> BoundExpression
    {
        let l = try bindNumeric(left)
        let r = try bindNumeric(right)
        let integral = l.type != .double && r.type != .double && op != .divby
        return BoundExpression(.arithmetic(op, l, r), integral ? .integer : .double)
    }
}

/// ISO 8601 `[-]PnDTnHnMn.nS` as OData's `durationValue` (ABNF L995), in milliseconds.
enum Duration {
    static func parse(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        var sign: Int64 = 1
        if bytes.first == UInt8(ascii: "-") {
            sign = -1
            bytes = bytes.dropFirst()
        }
        guard bytes.first == UInt8(ascii: "P"), bytes.count > 1 else { return nil }
        bytes = bytes.dropFirst()
        var total: Double = 0
        var inTime = false
        var number = ""
        var sawUnit = false
        for byte in bytes {
            if isDigit(byte) || byte == UInt8(ascii: ".") {
                number.append(Character(UnicodeScalar(byte)))
                continue
            }
            if byte == UInt8(ascii: "T"), number.isEmpty, !inTime {
                inTime = true
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            switch (byte, inTime) {
            case (UInt8(ascii: "D"), false): total += value * 86_400
            case (UInt8(ascii: "H"), true): total += value * 3600
            case (UInt8(ascii: "M"), true): total += value * 60
            case (UInt8(ascii: "S"), true): total += value
            default: return nil
            }
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total < 1e15 else { return nil }
        return sign * Int64((total * 1000).rounded())
    }
}
