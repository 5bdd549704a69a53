/// Builds and runs a paged list whose filter and order come from the caller as SQL fragments.
///
/// Shape: `<select> WHERE <scope> [AND (<whereSQL>)] ORDER BY [<orderBySQL>,] <tieBreak> LIMIT ? OFFSET ?`,
/// plus `SELECT count(*) … WHERE` the same. Placeholders are bound in text order: scope values, then
/// `arguments` (for `whereSQL`), then limit and offset. `orderBySQL` therefore must not contain
/// placeholders; fragments must use plain `?` (SQLite numbers each one after the highest so far,
/// https://sqlite.org/lang_expr.html#parameters), not `?NNN` or named ones.
struct FragmentList {
    var columns: String
    var table: String
    var scope: String
    var scopeArguments: [SQLValue]
    var whereSQL: String?
    var orderBySQL: String?
    var defaultOrder: String
    var tieBreak: String
    var arguments: [SQLValue]
    var limit: Int
    var offset: Int
    /// The total when there is no filter, if the caller knows it without a scan.
    var unfilteredTotal: ((Database) throws -> Int)? = nil

    private var whereClause: String {
        guard let whereSQL, !whereSQL.allSatisfy(\.isWhitespace) else { return scope }
        // Parenthesized so that an OR in the fragment cannot escape the scope.
        return "\(scope) AND (\(whereSQL))"
    }

    private var orderClause: String {
        guard let orderBySQL, !orderBySQL.allSatisfy(\.isWhitespace) else { return defaultOrder }
        return "\(orderBySQL), \(tieBreak)"
    }

    /// The page and the total; the caller provides the transaction that makes the two agree.
    func run<Row>(on database: Database, read: (Statement) -> Row) throws -> (rows: [Row], total: Int) {
        guard limit >= 0 else { throw StoreError.invalidLimit(limit) }
        guard offset >= 0 else { throw StoreError.invalidLimit(offset) }
        let filter = whereClause
        let pageSQL = "SELECT \(columns) FROM \(table) WHERE \(filter) ORDER BY \(orderClause) LIMIT ? OFFSET ?"
        let rows = try database.withStatement(pageSQL) { statement in
            let expected = statement.parameterCount - scopeArguments.count - 2
            guard expected == arguments.count else {
                throw StoreError.argumentCountMismatch(expected: expected, given: arguments.count)
            }
            try statement.bind(scopeArguments)
            try statement.bind(arguments, startingAt: Int32(scopeArguments.count + 1))
            let next = Int32(scopeArguments.count + arguments.count + 1)
            try statement.bind(Int64(limit), at: next)
            try statement.bind(Int64(offset), at: next + 1)
            var rows: [Row] = []
            rows.reserveCapacity(min(limit, 128))
            while try statement.step() { rows.append(read(statement)) }
            return rows
        }
        // A short, non-empty page (or a short first page) already tells the total without a second scan.
        if rows.count < limit && (offset == 0 || !rows.isEmpty) { return (rows, offset + rows.count) }
        if let unfilteredTotal, whereSQL.map({ $0.allSatisfy(\.isWhitespace) }) ?? true {
            return (rows, try unfilteredTotal(database))
        }
        let total =
            try database.scalarInt(
                "SELECT count(*) FROM \(table) WHERE \(filter)", scopeArguments + arguments) ?? 0
        return (rows, Int(total))
    }
}
