/// Evaluates a bound expression over one JSON document: the semantic reference for the SQL back end.
///
/// Null semantics per OData 4.01 Part 2 §5.1.1.1–5.1.1.4: `eq`/`ne` treat null as a value,
/// ordering operators with a null operand are false, `and`/`or`/`not` are three-valued, arithmetic
/// and functions propagate null. Values of the wrong JSON type for their catalog type read as null.
struct Evaluator {
    let document: JSON
    var variables: [JSON] = []

    init(document: JSON) { self.document = document }

    static func matches(_ expression: BoundExpression, _ document: JSON) -> Bool {
        var evaluator = Evaluator(document: document)
        return evaluator.evaluate(expression) == .bool(true)
    }

    func json(root: Int, path: [String]) -> JSON? {
        var value = root == 0 ? document : variables[root - 1]
        for segment in path {
            guard case .object(let members) = value, let next = members[segment] else { return nil }
            value = next
        }
        return value
    }

    static func scalar(_ json: JSON?, as type: ValueType) -> Scalar {
        guard let json else { return .null }
        switch (json, type) {
        case (.string(let text), .string), (.string(let text), .guid), (.string(let text), .enumeration):
            return .string(text)
        case (.int(let value), .integer), (.int(let value), .double): return .int(value)
        case (.double(let value), .integer), (.double(let value), .double): return .double(value)
        case (.bool(let value), .boolean): return .bool(value)
        case (.string(let text), .datetime): return DateTime(parsing: text).map(Scalar.datetime) ?? .null
        default: return .null
        }
    }

    mutating func evaluate(_ expression: BoundExpression) -> Scalar {
        switch expression.kind {
        case .constant(let value):
            return value
        case .field(let root, let path):
            return Evaluator.scalar(json(root: root, path: path), as: expression.type)
        case .compare(let op, let left, let right, let mode):
            return .bool(Evaluator.compare(op, evaluate(left), evaluate(right), mode))
        case .and(let operands):
            var sawNull = false
            for operand in operands {
                switch evaluate(operand) {
                case .bool(false): return .bool(false)
                case .bool(true): continue
                default: sawNull = true
                }
            }
            return sawNull ? .null : .bool(true)
        case .or(let operands):
            var sawNull = false
            for operand in operands {
                switch evaluate(operand) {
                case .bool(true): return .bool(true)
                case .bool(false): continue
                default: sawNull = true
                }
            }
            return sawNull ? .null : .bool(false)
        case .not(let operand):
            if case .bool(let value) = evaluate(operand) { return .bool(!value) }
            return .null
        case .arithmetic(let op, let left, let right):
            return Arithmetic.apply(op, evaluate(left), evaluate(right), resultType: expression.type)
        case .negate(let operand):
            return Arithmetic.negate(evaluate(operand))
        case .inList(let left, let items, let mode):
            let value = evaluate(left)
            for item in items where Evaluator.compare(.eq, value, evaluate(item), mode) { return .bool(true) }
            return .bool(false)
        case .has(let left, let members):
            guard case .string(let text) = evaluate(left) else { return .null }
            let stored = Set(
                text.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.filter { $0 != " " } })
            return .bool(members.allSatisfy { stored.contains($0) })
        case .call(let function, let arguments):
            var values: [Scalar] = []
            for argument in arguments { values.append(evaluate(argument)) }
            return Functions.apply(function, values)
        case .lambda(let kind, let root, let path, let variable, let predicate):
            guard case .array(let items)? = json(root: root, path: path) else { return .bool(kind == .all) }
            guard let predicate else { return .bool(!items.isEmpty) }
            variables.append(.null)
            defer { variables.removeLast() }
            for item in items {
                variables[variable - 1] = item
                let holds = evaluate(predicate) == .bool(true)
                if kind == .any, holds { return .bool(true) }
                if kind == .all, !holds { return .bool(false) }
            }
            return .bool(kind == .all)
        }
    }

    static func compare(_ op: BinaryOperator, _ a: Scalar, _ b: Scalar, _ mode: CompareMode) -> Bool {
        var a = a
        var b = b
        switch mode {
        case .never:
            return op == .ne
        case .enumRank(let type):
            a = Evaluator.rank(a, type)
            b = Evaluator.rank(b, type)
        case .caseInsensitive:
            if case .string(let text) = a { a = .string(asciiLowercased(text)) }
            if case .string(let text) = b { b = .string(asciiLowercased(text)) }
        default:
            break
        }
        if a.isNull || b.isNull {
            switch op {
            case .eq, .ge, .le: return a.isNull && b.isNull
            case .ne: return !(a.isNull && b.isNull)
            default: return false
            }
        }
        let order = Evaluator.order(a, b)
        switch op {
        case .eq: return order == 0
        case .ne: return order != 0
        case .gt: return order.map { $0 > 0 } ?? false
        case .ge: return order.map { $0 >= 0 } ?? false
        case .lt: return order.map { $0 < 0 } ?? false
        case .le: return order.map { $0 <= 0 } ?? false
        default: return false
        }
    }

    static func rank(_ value: Scalar, _ type: EnumType) -> Scalar {
        guard case .string(let text) = value, let rank = type.rank(of: text) else { return .null }
        return .int(Int64(rank))
    }

    /// Total order of two non-null values of comparable kinds; nil when the kinds differ.
    /// Text compares by UTF-8 bytes, which is SQLite's BINARY collation.
    static func order(_ a: Scalar, _ b: Scalar) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .double(let y)): return Arithmetic.compare(x, y)
        case (.double(let x), .int(let y)): return Arithmetic.compare(y, x).map { -$0 }
        case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : (x > y ? 1 : nil))
        case (.string(let x), .string(let y)), (.date(let x), .date(let y)): return compareBytes(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.datetime(let x), .datetime(let y)): return x.milliseconds < y.milliseconds ? -1 : (x == y ? 0 : 1)
        case (.time(let x), .time(let y)), (.duration(let x), .duration(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default: return nil
        }
    }

    static func compareBytes(_ x: String, _ y: String) -> Int {
        var left = x.utf8.makeIterator()
        var right = y.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let l?, let r?): if l != r { return l < r ? -1 : 1 }
            }
        }
    }
}

/// SQLite's `lower()` without ICU folds ASCII only; so do we, so that both back ends agree.
func asciiLowercased(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
    return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
}

func asciiUppercased(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) else { return text }
    return String(decoding: text.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }, as: UTF8.self)
}
