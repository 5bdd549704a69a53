/// Typing of canonical function calls (OData 4.01 Part 2 §5.1.1.5–5.1.1.11).
extension Binder {
    mutating func bindCall(_ function: Function, _ arguments: [Node], at node: Node) throws(ODataError)
        -> BoundExpression
    {
        func call(_ bound: [BoundExpression], _ type: ValueType) -> BoundExpression {
            BoundExpression(.call(function, bound), type)
        }
        switch function {
        case .contains, .startswith, .endswith:
            return call([try bindText(arguments[0]), try bindText(arguments[1])], .boolean)
        case .indexof:
            return call([try bindText(arguments[0]), try bindText(arguments[1])], .integer)
        case .concat:
            return call([try bindText(arguments[0]), try bindText(arguments[1])], .string)
        case .length:
            return call([try bindText(arguments[0])], .integer)
        case .tolower, .toupper, .trim:
            return call([try bindText(arguments[0])], .string)
        case .substring:
            var bound = [try bindText(arguments[0])]
            for argument in arguments.dropFirst() { bound.append(try bindInteger(argument)) }
            if bound.count == 3, case .constant(.int(let length)) = bound[2].kind, length < 0 {
                throw error(.typeMismatch, "substring length must not be negative", at: arguments[2])
            }
            return call(bound, .string)
        case .matchesPattern:
            let text = try bindText(arguments[0])
            guard case .literal(.string(let pattern)) = arguments[1].expression else {
                throw error(.typeMismatch, "matchesPattern needs a string literal pattern", at: arguments[1])
            }
            guard pattern.utf8.count <= 256, !Binder.hasNestedQuantifier(pattern) else {
                // Swift's Regex backtracks: `(a+)+b` could pin a request thread (ReDoS).
                throw error(.unsupported, "pattern too long or with nested quantifiers", at: arguments[1])
            }
            guard (try? Regex(pattern)) != nil else {
                throw error(.typeMismatch, "invalid regular expression", at: arguments[1])
            }
            return call([text, BoundExpression(.constant(.string(pattern)), .string)], .boolean)
        case .year, .month, .day:
            return call([try bindTemporal(arguments[0], allowDate: true)], .integer)
        case .hour, .minute, .second, .totaloffsetminutes:
            return call([try bindTemporal(arguments[0], allowDate: false)], .integer)
        case .fractionalseconds:
            return call([try bindTemporal(arguments[0], allowDate: false)], .double)
        case .date:
            return call([try bindTemporal(arguments[0], allowDate: false)], .date)
        case .time:
            return call([try bindTemporal(arguments[0], allowDate: false)], .timeOfDay)
        case .now:
            return BoundExpression(
                .constant(.datetime(DateTime(milliseconds: now, text: DateTime.format(now)))), .datetime)
        case .mindatetime: return Self.datetimeConstant("0001-01-01T00:00:00Z")
        case .maxdatetime: return Self.datetimeConstant("9999-12-31T23:59:59.999Z")
        case .round, .floor, .ceiling:
            let bound = try bindNumeric(arguments[0])
            return call([bound], bound.type == .null ? .double : bound.type)
        }
    }

    mutating func bindText(_ node: Node) throws(ODataError) -> BoundExpression {
        switch node.expression {
        case .literal(.string(let value)): return BoundExpression(.constant(.string(value)), .string)
        case .literal(.guid(let value)): return BoundExpression(.constant(.string(value)), .string)
        case .literal(.null): return BoundExpression(.constant(.null), .null)
        case .literal(let literal):
            throw error(.typeMismatch, "expected a string, found a \(Binder.kindName(literal)) literal", at: node)
        default:
            let bound = try bind(node)
            guard bound.type.isText || bound.type == .null else {
                throw error(.typeMismatch, "expected a string, found \(bound.type.name)", at: node)
            }
            return bound
        }
    }

    mutating func bindInteger(_ node: Node) throws(ODataError) -> BoundExpression {
        let bound = try bind(node)
        guard bound.type == .integer || bound.type == .null else {
            throw error(.typeMismatch, "expected an integer, found \(bound.type.name)", at: node)
        }
        return bound
    }

    mutating func bindTemporal(_ node: Node, allowDate: Bool) throws(ODataError) -> BoundExpression {
        if case .literal(let literal) = node.expression {
            if allowDate, case .date = literal { return try coerce(literal, to: .date, at: node).0 }
            return try coerce(literal, to: .datetime, at: node).0
        }
        let bound = try bind(node)
        guard bound.type == .datetime || bound.type == .null || (allowDate && bound.type == .date) else {
            throw error(.typeMismatch, "expected a dateTimeOffset, found \(bound.type.name)", at: node)
        }
        return bound
    }

    /// True when a quantified group contains a quantifier, e.g. `(a+)+`, `(a*)*`, `(a|aa+){2,}`.
    /// Character classes and escapes are skipped; `(?` opens a group without quantifying.
    static func hasNestedQuantifier(_ pattern: String) -> Bool {
        var groupHasQuantifier: [Bool] = [false]
        var closedGroupHadQuantifier = false
        var escaped = false
        var inClass = false
        var previous: UInt8 = 0
        for byte in pattern.utf8 {
            defer { previous = byte }
            if escaped || (inClass && byte != UInt8(ascii: "]")) {
                escaped = escaped ? false : escaped || byte == UInt8(ascii: "\\")
                closedGroupHadQuantifier = false
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "["): inClass = true
            case UInt8(ascii: "]"): inClass = false
            case UInt8(ascii: "("): groupHasQuantifier.append(false)
            case UInt8(ascii: ")"):
                closedGroupHadQuantifier = groupHasQuantifier.count > 1 ? groupHasQuantifier.removeLast() : false
                if closedGroupHadQuantifier { groupHasQuantifier[groupHasQuantifier.count - 1] = true }
                continue
            case UInt8(ascii: "?") where previous == UInt8(ascii: "("):
                break
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{"), UInt8(ascii: "?"):
                if closedGroupHadQuantifier { return true }
                groupHasQuantifier[groupHasQuantifier.count - 1] = true
            default: break
            }
            closedGroupHadQuantifier = false
        }
        return false
    }

    /// `mindatetime()` / `maxdatetime()`: a fixed instant with its canonical text.
    private static func datetimeConstant(_ text: String) -> BoundExpression {
        let ms = DateTime.parse(Array(text.utf8)) ?? 0
        let canonical = DateTime(milliseconds: ms, text: "").canonicalText
        return BoundExpression(.constant(.datetime(DateTime(milliseconds: ms, text: canonical))), .datetime)
    }
}
