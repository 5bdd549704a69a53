/// Filter parts answered from a `SideTable` instead of the document text.
///
/// Two shapes, both exact under the side table's contract:
/// - a top-level conjunct whose only fields are declared scalar paths becomes
///   `rowid IN (SELECT entity FROM hot WHERE <conjunct over the hot columns>)`. Each entity has exactly one hot
///   row, so the conjunct is evaluated on the very values `json_extract` gives; `IN` yields 1 exactly where
///   the conjunct is 1, and a top-level conjunct only ever needs to be 1 (0 and NULL both drop the row).
///   Below `not`/`or` NULL and 0 differ, so only top-level conjuncts are moved.
/// - an `any`/`all` lambda over a root array whose predicate reads only declared member paths of its own
///   variable becomes `rowid [NOT] IN (SELECT …)` over the element rows, joined on the ordinal when it reads
///   several members, so that every condition holds for the same element. Both are two-valued (never
///   NULL), like the `EXISTS` they replace, so this applies at any depth.
extension SQLCompiler {
    /// The WHERE fragment, moving what it can to the side table.
    func compileWhere(_ expression: BoundExpression) throws(ODataError) -> SQLFragment {
        guard let side, !side.hotColumns.isEmpty else { return try compile(expression) }
        guard case .and(let operands) = expression.kind else { return try conjunct(expression, side) }
        var fragment = SQLFragment(sql: "(")
        for (index, operand) in operands.enumerated() {
            if index > 0 { fragment.append(" AND ") }
            fragment.append(try conjunct(operand, side))
        }
        fragment.append(")")
        return fragment
    }

    private func conjunct(_ expression: BoundExpression, _ side: SideTable) throws(ODataError) -> SQLFragment {
        var fields: Set<FieldReference> = []
        guard SQLCompiler.collectFields(expression, into: &fields), !fields.isEmpty,
            fields.allSatisfy({ $0.root == 0 && side.hotColumns[$0.path] != nil })
        else { return try compile(expression) }
        var inner = SQLCompiler(document: document)
        for field in fields { inner.columns[field.path] = side.hotTable + "." + (side.hotColumns[field.path] ?? "") }
        if side.correlated {
            var fragment = SQLFragment(
                sql: "(EXISTS (SELECT 1 FROM \(side.hotTable) WHERE \(side.hotTable).\(side.hotEntityColumn) = "
                    + "\(side.rowid) AND (")
            try inner.write(expression, into: &fragment)
            fragment.append(")))")
            return fragment
        }
        var fragment = SQLFragment(
            sql: "(\(side.rowid) IN (SELECT \(side.hotEntityColumn) FROM \(side.hotTable) WHERE ")
        try inner.write(expression, into: &fragment)
        fragment.append("))")
        return fragment
    }

    /// The lambda over element rows, or nil when its shape needs the document.
    func sideLambda(
        _ kind: LambdaKind, _ root: Int, _ path: [String], _ variable: Int, _ predicate: BoundExpression?
    ) throws(ODataError) -> SQLFragment? {
        guard let side, root == 0, let members = side.elements[path.joined(separator: "/")], !members.isEmpty
        else { return nil }
        var fields: Set<FieldReference> = []
        if let predicate {
            guard SQLCompiler.collectFields(predicate, into: &fields),
                fields.allSatisfy({ $0.root == variable && members[$0.path] != nil })
            else { return nil }
        } else if kind == .all {
            return nil
        }
        // A predicate that reads no member still ranges over the elements: any member's rows list them.
        var paths = fields.map(\.path).sorted()
        if paths.isEmpty, let first = members.keys.sorted().first { paths = [first] }
        var inner = SQLCompiler(document: document)
        inner.elementVariable = variable
        for (index, member) in paths.enumerated() { inner.elementColumns[member] = "v\(index).\(side.valueColumn)" }
        return try sideQuery(side, ids: paths.compactMap { members[$0] }, negated: kind == .all) {
            (fragment: inout SQLFragment) throws(ODataError) in
            guard let predicate else { return }
            fragment.append(kind == .any ? " AND (" : " AND NOT COALESCE(")
            try inner.write(predicate, into: &fragment)
            fragment.append(kind == .any ? ")" : ", 0)")
        }
    }

    /// `(rowid [NOT] IN (SELECT v0.entity FROM side AS v0 [JOIN side AS vN ON same entity and ordinal, path
    /// N] WHERE v0.path = N <condition>))`. Path ids are the caller's integers, not client input, and are
    /// written as literals so that SQLite can use a partial index on them; client values stay bound.
    private func sideQuery(
        _ side: SideTable, ids: [Int64], negated: Bool,
        condition: (inout SQLFragment) throws(ODataError) -> Void
    ) throws(ODataError) -> SQLFragment {
        let t = side
        var fragment = SQLFragment(sql: "(\(t.rowid) \(negated ? "NOT IN" : "IN") (SELECT v0.\(t.entityColumn) FROM ")
        fragment.append("\(t.table) AS v0")
        for index in ids.indices.dropFirst() {
            let v = "v\(index)"
            fragment.append(" JOIN \(t.table) AS \(v) ON \(v).\(t.entityColumn) = v0.\(t.entityColumn)")
            fragment.append(
                " AND \(v).\(t.ordinalColumn) = v0.\(t.ordinalColumn) AND \(v).\(t.pathColumn) = \(ids[index])")
        }
        fragment.append(" WHERE v0.\(t.pathColumn) = \(ids[0])")
        try condition(&fragment)
        fragment.append("))")
        return fragment
    }

    struct FieldReference: Hashable {
        var root: Int
        var path: String
    }

    /// Every field the expression reads; false when it holds a lambda (whose variables the side table
    /// cannot bind).
    static func collectFields(_ expression: BoundExpression, into fields: inout Set<FieldReference>) -> Bool {
        switch expression.kind {
        case .constant: return true
        case .field(let root, let path):
            fields.insert(FieldReference(root: root, path: path.joined(separator: "/")))
            return true
        case .lambda: return false
        case .compare(_, let left, let right, _), .arithmetic(_, let left, let right):
            return collectFields(left, into: &fields) && collectFields(right, into: &fields)
        case .and(let operands), .or(let operands), .call(_, let operands):
            return operands.allSatisfy { collectFields($0, into: &fields) }
        case .not(let operand), .negate(let operand), .has(let operand, _):
            return collectFields(operand, into: &fields)
        case .inList(let left, let items, _):
            return collectFields(left, into: &fields) && items.allSatisfy { collectFields($0, into: &fields) }
        }
    }
}
