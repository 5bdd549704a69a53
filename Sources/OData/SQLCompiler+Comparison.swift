/// Comparisons (odata.md §7): `IS`/`IS NOT` for eq/ne so null is a value, `COALESCE(…, 0)` for
/// ordering so a null operand gives false instead of unknown.
extension SQLCompiler {
    static func isNullConstant(_ expression: BoundExpression) -> Bool {
        if case .constant(.null) = expression.kind { return true }
        return false
    }

    static func isConstant(_ expression: BoundExpression) -> Bool {
        if case .constant = expression.kind { return true }
        return false
    }

    func comparison(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression, _ mode: CompareMode)
        throws(ODataError) -> SQLFragment
    {
        if mode == .never { return SQLFragment(sql: op == .ne ? "1" : "0") }
        let leftNull = SQLCompiler.isNullConstant(left)
        let rightNull = SQLCompiler.isNullConstant(right)
        if leftNull && rightNull { return SQLFragment(sql: [.eq, .ge, .le].contains(op) ? "1" : "0") }
        if leftNull || rightNull {
            let value = try operand(leftNull ? right : left, mode)
            switch op {
            case .eq, .ge, .le: return wrap("(", value, " IS NULL)")
            case .ne: return wrap("(", value, " IS NOT NULL)")
            default: return SQLFragment(sql: "0")
            }
        }
        let a = try operand(left, mode)
        let b = try operand(right, mode)
        var fragment = SQLFragment()
        switch op {
        case .eq, .ne:
            fragment.append("(")
            fragment.append(a)
            fragment.append(op == .eq ? " IS " : " IS NOT ")
            fragment.append(b)
            fragment.append(")")
        default:
            let symbol = switch op {
            case .gt: ">"
            case .ge: ">="
            case .lt: "<"
            default: "<="
            }
            fragment.append("COALESCE(")
            fragment.append(a)
            fragment.append(" \(symbol) ")
            fragment.append(b)
            fragment.append(", 0)")
            // ge/le = gt/lt or eq (odata.md §3), so two nulls are ge/le each other.
            if op == .ge || op == .le, !SQLCompiler.isConstant(left), !SQLCompiler.isConstant(right) {
                fragment = wrap("(", fragment, " OR (")
                fragment.append(a)
                fragment.append(" IS NULL AND ")
                fragment.append(b)
                fragment.append(" IS NULL))")
            }
        }
        return fragment
    }

    /// An operand as the comparison mode needs it: lowered GUIDs, instants, enum ranks.
    func operand(_ expression: BoundExpression, _ mode: CompareMode) throws(ODataError) -> SQLFragment {
        switch mode {
        case .caseInsensitive:
            if case .constant(.string(let text)) = expression.kind { return constant(.string(asciiLowercased(text))) }
            return wrap("lower(", try compile(expression), ")")
        case .instant:
            return wrap("julianday(", try compile(expression), ")")
        case .enumRank(let type):
            return rank(try compile(expression), expression, type)
        case .plain, .never:
            return try compile(expression)
        }
    }

    /// Declaration-order rank of an enum value; unknown stored values rank NULL, like the evaluator.
    func rank(_ value: SQLFragment, _ expression: BoundExpression, _ type: EnumType) -> SQLFragment {
        if case .constant(let scalar) = expression.kind {
            guard case .int(let rank) = Evaluator.rank(scalar, type) else { return SQLFragment(sql: "NULL") }
            return constant(.int(rank))
        }
        var fragment = SQLFragment(sql: "CASE ")
        fragment.append(value)
        for (index, member) in type.members.enumerated() {
            fragment.append(" WHEN ")
            fragment.bind(.text(member))
            fragment.append(" THEN \(index)")
        }
        fragment.append(" END")
        return fragment
    }
}
