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
    ///
    /// A filtered or ordered page is read in two statements: the page's rowids in order, then its rows by
    /// rowid. Sorting whole rows made SQLite copy every matching document into and out of its sorter (the
    /// sorter keeps all result columns); sorting rowids keeps only the keys there. An unfiltered page in the
    /// default order follows an index and is read at once.
    func run<Row>(on database: Database, read: (Statement) -> Row) throws -> (rows: [Row], total: Int) {
        guard limit >= 0 else { throw StoreError.invalidLimit(limit) }
        guard offset >= 0 else { throw StoreError.invalidLimit(offset) }
        let filter = whereClause
        let keyed = !Self.isBlank(whereSQL) || !Self.isBlank(orderBySQL)
        let selected = keyed ? "rowid" : columns
        let pageSQL = "SELECT \(selected) FROM \(table) WHERE \(filter) ORDER BY \(orderClause) LIMIT ? OFFSET ?"
        var rowids: [Int64] = []
        var direct: [Row] = []
        try database.withStatement(pageSQL) { statement in
            let expected = statement.parameterCount - scopeArguments.count - 2
            guard expected == arguments.count else {
                throw StoreError.argumentCountMismatch(expected: expected, given: arguments.count)
            }
            try statement.bind(scopeArguments)
            try statement.bind(arguments, startingAt: Int32(scopeArguments.count + 1))
            let next = Int32(scopeArguments.count + arguments.count + 1)
            try statement.bind(Int64(limit), at: next)
            try statement.bind(Int64(offset), at: next + 1)
            if keyed {
                rowids.reserveCapacity(min(limit, 128))
                while try statement.step() { rowids.append(statement.int64(0)) }
            } else {
                direct.reserveCapacity(min(limit, 128))
                while try statement.step() { direct.append(read(statement)) }
            }
        }
        let rows = keyed ? try Self.rows(rowids, columns: columns, table: table, on: database, read: read) : direct
        // A short, non-empty page (or a short first page) already tells the total without a second scan.
        if rows.count < limit && (offset == 0 || !rows.isEmpty) { return (rows, offset + rows.count) }
        if let unfilteredTotal, Self.isBlank(whereSQL) {
            return (rows, try unfilteredTotal(database))
        }
        let total =
            try database.scalarInt(
                "SELECT count(*) FROM \(table) WHERE \(filter)", scopeArguments + arguments) ?? 0
        return (rows, Int(total))
    }

    private static func isBlank(_ fragment: String?) -> Bool { fragment.map { $0.allSatisfy(\.isWhitespace) } ?? true }

    /// The rows with these rowids, in the order given. The ids go as one JSON array so that one prepared
    /// statement serves every page size.
    private static func rows<Row>(
        _ rowids: [Int64], columns: String, table: String, on database: Database, read: (Statement) -> Row
    ) throws -> [Row] {
        guard !rowids.isEmpty else { return [] }
        var position: [Int64: Int] = [:]
        position.reserveCapacity(rowids.count)
        var list = "["
        for (index, rowid) in rowids.enumerated() {
            position[rowid] = index
            if index > 0 { list += "," }
            list += String(rowid)
        }
        list += "]"
        var placed = [Row?](repeating: nil, count: rowids.count)
        // rowid last, so that `read` sees the columns at the indexes it expects.
        try database.withStatement(
            "SELECT \(columns), rowid FROM \(table) WHERE rowid IN (SELECT value FROM json_each(?))"
        ) { statement in
            try statement.bind(list, at: 1)
            let rowidColumn = statement.columnCount - 1
            while try statement.step() {
                if let index = position[statement.int64(rowidColumn)] { placed[index] = read(statement) }
            }
        }
        // Both statements run in the caller's transaction, so every rowid is found.
        return placed.compactMap { $0 }
    }
}
