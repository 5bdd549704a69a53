/// OData arithmetic (Part 2 §5.1.1.2) with SQLite's numeric behaviour where the spec leaves room,
/// so the evaluator and the SQL back end agree: integer overflow falls back to double (SQLite's
/// `fp_math`), division or modulo by zero and NaN results are null (SQLite yields NULL; the spec's
/// "fails the request" cannot be expressed per row in SQL).
enum Arithmetic {
    static func apply(_ op: BinaryOperator, _ a: Scalar, _ b: Scalar, resultType: ValueType) -> Scalar {
        if op == .divby {
            guard let x = double(a), let y = double(b), y != 0 else { return .null }
            return checked(x / y)
        }
        if op == .mod, resultType == .double {
            guard let x = double(a), let y = double(b), y != 0 else { return .null }
            return checked(x.truncatingRemainder(dividingBy: y))
        }
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case .add: return integer(x.addingReportingOverflow(y), x, y, +)
            case .sub: return integer(x.subtractingReportingOverflow(y), x, y, -)
            case .mul: return integer(x.multipliedReportingOverflow(by: y), x, y, *)
            case .div:
                if y == 0 { return .null }
                return integer(x.dividedReportingOverflow(by: y), x, y, /)
            case .mod:
                if y == 0 { return .null }
                if y == -1 { return .int(0) }
                return .int(x % y)
            default: return .null
            }
        }
        guard let x = double(a), let y = double(b) else { return .null }
        if op == .mod {
            // SQLite's `%` truncates real operands to integers and yields a real (vdbe.c OP_Remainder).
            let (i, j) = (clampedInteger(x), clampedInteger(y))
            if j == 0 { return .null }
            return .double(j == -1 ? 0 : Double(i % j))
        }
        switch op {
        case .add: return checked(x + y)
        case .sub: return checked(x - y)
        case .mul: return checked(x * y)
        case .div: return y == 0 ? .null : checked(x / y)
        default: return .null
        }
    }

    private static func integer(
        _ result: (partialValue: Int64, overflow: Bool), _ x: Int64, _ y: Int64,
        _ op: (Double, Double) -> Double
    ) -> Scalar {
        result.overflow ? checked(op(Double(x), Double(y))) : .int(result.partialValue)
    }

    static func negate(_ value: Scalar) -> Scalar {
        switch value {
        case .int(let x): return x == .min ? .double(-Double(x)) : .int(-x)
        case .double(let x): return .double(-x)
        default: return .null
        }
    }

    static func double(_ value: Scalar) -> Double? {
        switch value {
        case .int(let x): Double(x)
        case .double(let x): x
        default: nil
        }
    }

    static func clampedInteger(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9_223_372_036_854_775_807.0 { return .max }
        if value <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(value)
    }

    static func checked(_ value: Double) -> Scalar { value.isNaN ? .null : .double(value) }

    /// Exact comparison of an integer with a double (as SQLite's sqlite3IntFloatCompare).
    static func compare(_ x: Int64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y < -9_223_372_036_854_775_808.0 { return 1 }
        if y >= 9_223_372_036_854_775_808.0 { return -1 }
        let truncated = Int64(y)
        if x != truncated { return x < truncated ? -1 : 1 }
        let remainder = y - Double(truncated)
        return remainder > 0 ? -1 : (remainder < 0 ? 1 : 0)
    }
}
