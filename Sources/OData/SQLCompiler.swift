/// Compiles a bound expression to an SQLite boolean expression over a JSON document column,
/// following the mapping of odata.md §7: every comparison yields 0/1 (never NULL) so SQLite's own
/// three-valued AND/OR/NOT equals OData's; functions and arithmetic propagate NULL as OData does.
///
/// Not expressible exactly in SQLite, reported as `.unsupportedInSQL` (evaluate in memory instead):
/// `matchesPattern` (no regex built in), `fractionalseconds`, `totaloffsetminutes`, `time`.
struct SQLCompiler {
    /// The SQL expression holding the JSON document, e.g. `document` or `e.document`.
    let document: String
    /// Hot fields the store keeps in their own (generated) columns: document path (`name`,
    /// `cluster/extId`, `nics`) → SQL expression equal to `json_extract(document, '$.path')`.
    /// Reading those avoids parsing the whole document per row.
    var columns: [String: String] = [:]
    /// Declared paths kept in a side table (`SideTable`); nil reads everything from the document.
    var side: SideTable? = nil
    /// Inside a lambda answered from the side table: that lambda's variable, and its member paths → the
    /// side-table value column holding them.
    var elementVariable = 0
    var elementColumns: [String: String] = [:]

    private func column(_ path: [String]) -> String? {
        columns.isEmpty ? nil : columns[path.joined(separator: "/")]
    }

    func compile(_ expression: BoundExpression) throws(ODataError) -> SQLFragment {
        var fragment = SQLFragment()
        fragment.sql.reserveCapacity(256)
        try write(expression, into: &fragment)
        return fragment
    }

    /// Appends to one buffer: the common shapes (logic, comparisons, fields, constants) allocate
    /// nothing per node, which keeps parse + bind + compile of a typical filter under 10 µs.
    func write(_ expression: BoundExpression, into fragment: inout SQLFragment) throws(ODataError) {
        switch expression.kind {
        case .compare(let op, let left, let right, let mode):
            try writeComparison(op, left, right, mode, into: &fragment)
        case .and(let operands), .or(let operands):
            fragment.append("(")
            let joiner: String
            if case .and = expression.kind { joiner = " AND " } else { joiner = " OR " }
            for (index, operand) in operands.enumerated() {
                if index > 0 { fragment.append(joiner) }
                try write(operand, into: &fragment)
            }
            fragment.append(")")
        case .not(let operand):
            fragment.append("(NOT ")
            try write(operand, into: &fragment)
            fragment.append(")")
        case .constant(let value):
            writeConstant(value, into: &fragment)
        case .field(let root, let path):
            writeField(root, path, into: &fragment)
        default:
            fragment.append(try compileOther(expression))
        }
    }

    private func compileOther(_ expression: BoundExpression) throws(ODataError) -> SQLFragment {
        switch expression.kind {
        case .compare, .and, .or, .not, .constant, .field:
            return try compile(expression)
        case .inList(let left, let items, let mode):
            guard !items.isEmpty else { return SQLFragment(sql: "0") }
            var fragment = SQLFragment(sql: "(")
            for (index, item) in items.enumerated() {
                if index > 0 { fragment.append(" OR ") }
                fragment.append(try comparison(.eq, left, item, mode))
            }
            fragment.append(")")
            return fragment
        case .has(let left, let members):
            let value = try compile(left)
            var fragment = SQLFragment(sql: "CASE WHEN ")
            fragment.append(value)
            fragment.append(" IS NULL THEN NULL ELSE (")
            for (index, member) in members.enumerated() {
                if index > 0 { fragment.append(" AND ") }
                fragment.append("instr(',' || replace(")
                fragment.append(value)
                fragment.append(", ' ', '') || ',', ")
                fragment.bind(.text("," + member + ","))
                fragment.append(") > 0")
            }
            if members.isEmpty { fragment.append("1") }
            fragment.append(") END")
            return fragment
        case .lambda(let kind, let root, let path, let variable, let predicate):
            return try lambda(kind, root, path, variable, predicate)
        case .arithmetic(let op, let left, let right):
            return try arithmetic(op, left, right, expression.type)
        case .negate(let operand):
            return wrap("(- ", try compile(operand), ")")
        case .call(let function, let arguments):
            return try call(function, arguments, expression.type)
        }
    }

    func wrap(_ prefix: String, _ inner: SQLFragment, _ suffix: String) -> SQLFragment {
        var fragment = SQLFragment(sql: prefix)
        fragment.append(inner)
        fragment.append(suffix)
        return fragment
    }

    func constant(_ value: Scalar) -> SQLFragment {
        var fragment = SQLFragment()
        writeConstant(value, into: &fragment)
        return fragment
    }

    func writeConstant(_ value: Scalar, into fragment: inout SQLFragment) {
        switch value {
        case .null: fragment.append("NULL")
        case .bool(let value): fragment.bind(.integer(value ? 1 : 0))
        case .int(let value): fragment.bind(.integer(value))
        case .double(let value): fragment.bind(.double(value))
        case .string(let value), .date(let value): fragment.bind(.text(value))
        case .datetime(let value): fragment.bind(.text(value.text))
        case .time(let value), .duration(let value): fragment.bind(.integer(value))
        }
    }

    /// A property read: `json_extract(document, '$.a.b')`, or below a lambda variable `jN`.
    /// A lambda item of the wrong JSON type must read as NULL, not make json_extract fail.
    func field(_ root: Int, _ path: [String]) -> SQLFragment {
        var fragment = SQLFragment()
        writeField(root, path, into: &fragment)
        return fragment
    }

    func writeField(_ root: Int, _ path: [String], into fragment: inout SQLFragment) {
        if root == 0 {
            if let column = column(path) {
                fragment.sql += column
                return
            }
            fragment.sql += "json_extract("
            fragment.sql += document
            fragment.sql += ", "
            SQLFragment.appendJSONPath(path, to: &fragment.sql)
            fragment.sql += ")"
            return
        }
        if root == elementVariable, let column = elementColumns[path.joined(separator: "/")] {
            fragment.sql += column
            return
        }
        fragment.append(otherField(root, path))
    }

    private func otherField(_ root: Int, _ path: [String]) -> SQLFragment {
        if path.isEmpty { return SQLFragment(sql: "j\(root).value") }
        return SQLFragment(
            sql: "CASE WHEN j\(root).type = 'object' THEN json_extract(j\(root).value, "
                + "\(SQLFragment.jsonPath(path))) END")
    }

    private func lambda(
        _ kind: LambdaKind, _ root: Int, _ path: [String], _ variable: Int,
        _ predicate: BoundExpression?
    ) throws(ODataError) -> SQLFragment {
        if let pushed = try sideLambda(kind, root, path, variable, predicate) { return pushed }
        let alias = "j\(variable)"
        // Only an array is a collection (as the evaluator has it): json_each would also walk an object's
        // members, so anything else reads as NULL, which has no elements.
        let source: String
        if root == 0, let column = column(path) {
            source = "json_each(CASE WHEN json_type(\(column)) = 'array' THEN \(column) END)"
        } else if root == 0 {
            let jsonPath = SQLFragment.jsonPath(path)
            source =
                "json_each(CASE WHEN json_type(\(document), \(jsonPath)) = 'array' "
                + "THEN json_extract(\(document), \(jsonPath)) END)"
        } else if path.isEmpty {
            source = "json_each(CASE WHEN j\(root).type = 'array' THEN j\(root).value END)"
        } else {
            let jsonPath = SQLFragment.jsonPath(path)
            source =
                "json_each(CASE WHEN j\(root).type = 'object' AND json_type(j\(root).value, \(jsonPath)) = 'array' "
                + "THEN json_extract(j\(root).value, \(jsonPath)) END)"
        }
        // `key IS NOT NULL` skips the single row json_each yields for a null or scalar "collection".
        var fragment = SQLFragment(sql: kind == .any ? "EXISTS (" : "NOT EXISTS (")
        fragment.append("SELECT 1 FROM \(source) AS \(alias) WHERE \(alias).key IS NOT NULL")
        if let predicate {
            fragment.append(kind == .any ? " AND (" : " AND NOT COALESCE(")
            fragment.append(try compile(predicate))
            fragment.append(kind == .any ? ")" : ", 0)")
        }
        fragment.append(")")
        return fragment
    }

    private func arithmetic(
        _ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
        _ type: ValueType
    ) throws(ODataError) -> SQLFragment {
        let l = try compile(left)
        let r = try compile(right)
        var fragment = SQLFragment(sql: "(")
        switch op {
        case .divby:
            fragment.append(wrap("CAST(", l, " AS REAL)"))
            fragment.append(" / ")
        case .mod where type == .double:
            fragment.append("mod(")
            fragment.append(l)
            fragment.append(", ")
            fragment.append(r)
            fragment.append("))")
            return fragment
        default:
            let symbol =
                switch op {
                case .add: "+"
                case .sub: "-"
                case .mul: "*"
                case .div: "/"
                default: "%"
                }
            fragment.append(l)
            fragment.append(" \(symbol) ")
        }
        fragment.append(r)
        fragment.append(")")
        return fragment
    }
}
