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
        var fragment = SQLFragment()
        try writeComparison(op, left, right, mode, into: &fragment)
        return fragment
    }

    func writeComparison(
        _ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
        _ mode: CompareMode, into fragment: inout SQLFragment
    ) throws(ODataError) {
        if mode == .never { return fragment.append(op == .ne ? "1" : "0") }
        let leftNull = SQLCompiler.isNullConstant(left)
        let rightNull = SQLCompiler.isNullConstant(right)
        if leftNull && rightNull { return fragment.append([.eq, .ge, .le].contains(op) ? "1" : "0") }
        if leftNull || rightNull {
            switch op {
            case .eq, .ge, .le, .ne:
                fragment.append("(")
                try writeOperand(leftNull ? right : left, mode, into: &fragment)
                fragment.append(op == .ne ? " IS NOT NULL)" : " IS NULL)")
            default: fragment.append("0")
            }
            return
        }
        let oneConstant = SQLCompiler.isConstant(left) != SQLCompiler.isConstant(right)
        switch op {
        case .eq where mode == .caseInsensitive && oneConstant, .ne where mode == .caseInsensitive && oneConstant:
            // NOCASE folds ASCII exactly as lower() does, without building a lowered copy of every row's value.
            let (value, constant) = SQLCompiler.isConstant(right) ? (left, right) : (right, left)
            fragment.append("(")
            try write(value, into: &fragment)
            fragment.append(op == .eq ? " IS " : " IS NOT ")
            try writeOperand(constant, mode, into: &fragment)
            fragment.append(" COLLATE NOCASE)")
        case .eq, .ne:
            fragment.append("(")
            try writeOperand(left, mode, into: &fragment)
            fragment.append(op == .eq ? " IS " : " IS NOT ")
            try writeOperand(right, mode, into: &fragment)
            fragment.append(")")
        default:
            let symbol =
                switch op {
                case .gt: " > "
                case .ge: " >= "
                case .lt: " < "
                default: " <= "
                }
            // ge/le = gt/lt or eq (odata.md §3), so two nulls are ge/le each other.
            let bothMayBeNull =
                (op == .ge || op == .le) && !SQLCompiler.isConstant(left)
                && !SQLCompiler.isConstant(right)
            if bothMayBeNull { fragment.append("(") }
            fragment.append("COALESCE(")
            try writeOperand(left, mode, into: &fragment)
            fragment.append(symbol)
            try writeOperand(right, mode, into: &fragment)
            fragment.append(", 0)")
            if bothMayBeNull {
                fragment.append(" OR (")
                try writeOperand(left, mode, into: &fragment)
                fragment.append(" IS NULL AND ")
                try writeOperand(right, mode, into: &fragment)
                fragment.append(" IS NULL))")
            }
        }
    }

    func writeOperand(_ expression: BoundExpression, _ mode: CompareMode, into fragment: inout SQLFragment)
        throws(ODataError)
    {
        switch mode {
        case .plain, .never: try write(expression, into: &fragment)
        case .instant:
            fragment.append("julianday(")
            try write(expression, into: &fragment)
            fragment.append(")")
        default: fragment.append(try operand(expression, mode))
        }
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
