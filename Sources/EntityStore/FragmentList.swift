/// Builds and runs a paged list whose filter and order come from the caller as SQL fragments.
///
/// Shape: `<select> WHERE <scope> [AND (<whereSQL>)] ORDER BY [<orderBySQL>,] <tieBreak> [LIMIT ? OFFSET ?]`,
/// plus, when needed, `SELECT count(*) … WHERE` the same. Placeholders are bound in text order: scope values, then
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

    /// Up to this many rows a kind is small: SQLite's fixed cost of a temporary b-tree for an `IN (SELECT …)`
    /// list (~60 k instructions) is more than a primary-key probe per row of the kind.
    static let smallKind = 64

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
        var rows: [Row] = []
        let total = try visit(
            on: database, expect: { rows.reserveCapacity(min($0, 128)) }, row: { rows.append(read($0)) })
        return (rows, total)
    }

    /// Calls `row` on each row of the page, in order, with the statement positioned on it (columns as in
    /// `columns`); returns the total. `expect` hears, before the first row, how many rows the page holds at
    /// most, so that a caller can size its buffer once.
    ///
    /// A filtered or ordered page is read as rowids first, then its rows by rowid: sorting whole rows made
    /// SQLite copy every matching document into and out of its sorter (the sorter keeps all result columns).
    /// `columns` must not name a column of `json_each` (key, value, type, atom, id, parent, fullkey, path).
    ///
    /// In the default order over a small top-level kind the rowids come from one pass over every match,
    /// which both gives the page and counts the total: a separate `count(*)` would scan the same matches
    /// again and rebuild the filter's temporary tables. With an `$orderby` the page asks for one row more
    /// than it needs, so that a last page tells the total without the count.
    func visit(on database: Database, expect: (Int) -> Void, row: (Statement) throws -> Void) throws -> Int {
        guard limit >= 0 else { throw StoreError.invalidLimit(limit) }
        guard offset >= 0 else { throw StoreError.invalidLimit(offset) }
        let filter = whereClause
        let filtered = !Self.isBlank(whereSQL)
        let ordered = !Self.isBlank(orderBySQL)
        guard filtered || ordered else { return try visitDirect(on: database, filter: filter, expect: expect, row: row) }
        // An empty page is a count alone (`$limit=0`, and the totals the store asks for): a page statement
        // first would build the filter's temporary tables twice.
        if limit == 0 { return try countMatches(on: database, filter: filter) }
        // One pass only over a small kind: walking every match in the default order keeps the planner on the
        // order's index, so over a large kind a filter another index serves (an expression index, 100,000 rows)
        // was evaluated on every row (516 ms) where a page that stops at `limit` plus an indexed count took 3.5.
        let onePass = try !ordered && (unfilteredTotal?(database)).map { $0 <= Self.smallKind } == true
        var pageSQL = "SELECT rowid FROM \(table) WHERE \(filter) ORDER BY \(orderClause)"
        if !onePass { pageSQL += " LIMIT ? OFFSET ?" }
        var rowids: [Int64] = []
        var seen = 0
        try database.withStatement(pageSQL) { statement in
            try bindFilter(statement, trailing: onePass ? 0 : 2)
            if onePass {
                rowids.reserveCapacity(min(limit, 128))
                let end = offset > Int.max - limit ? Int.max : offset + limit
                while try statement.step() {
                    if seen >= offset && seen < end { rowids.append(statement.int64(0)) }
                    seen += 1
                }
            } else {
                let next = Int32(scopeArguments.count + arguments.count + 1)
                // One more than the page: its absence tells that the page is the last one.
                try statement.bind(Int64(limit) + 1, at: next)
                try statement.bind(Int64(offset), at: next + 1)
                rowids.reserveCapacity(min(limit + 1, 129))
                while try statement.step() { rowids.append(statement.int64(0)) }
            }
        }
        var total = seen
        if !onePass {
            if rowids.count <= limit && (offset == 0 || !rowids.isEmpty) {
                total = offset + rowids.count
            } else {
                rowids.removeLast(max(0, rowids.count - limit))
                total = try countMatches(on: database, filter: filter)
            }
        }
        guard !rowids.isEmpty else { return total }
        expect(rowids.count)
        var list = "["
        for (index, rowid) in rowids.enumerated() {
            if index > 0 { list += "," }
            list += String(rowid)
        }
        list += "]"
        // The ids go as one JSON array, so one prepared statement serves every page size. CROSS JOIN keeps
        // json_each the outer loop: the rows come in the array's order, each found by its rowid, with no
        // temporary table (`rowid IN (SELECT value FROM json_each(?))` built one, and came in rowid order).
        // Both statements run in the caller's transaction, so every rowid is found.
        try database.withStatement(
            "SELECT \(columns) FROM json_each(?) AS page CROSS JOIN \(table) ON \(table).rowid = page.value"
        ) { statement in
            try statement.bind(list, at: 1)
            while try statement.step() { try row(statement) }
        }
        return total
    }

    /// An unfiltered page in the default order follows an index and is read at once. When the total is known
    /// without a scan it is read first, so that `expect` hears the page's exact size, not the limit.
    private func visitDirect(
        on database: Database, filter: String, expect: (Int) -> Void, row: (Statement) throws -> Void
    ) throws -> Int {
        let known = try unfilteredTotal?(database)
        var count = 0
        try database.withStatement(
            "SELECT \(columns) FROM \(table) WHERE \(filter) ORDER BY \(orderClause) LIMIT ? OFFSET ?"
        ) { statement in
            try bindFilter(statement, trailing: 2)
            let next = Int32(scopeArguments.count + arguments.count + 1)
            try statement.bind(Int64(limit), at: next)
            try statement.bind(Int64(offset), at: next + 1)
            expect(known.map { max(0, min(limit, $0 - offset)) } ?? limit)
            while try statement.step() {
                try row(statement)
                count += 1
            }
        }
        if let known { return known }
        // A short, non-empty page (or a short first page) already tells the total without a second scan.
        if count < limit && (offset == 0 || count > 0) { return offset + count }
        return try countMatches(on: database, filter: filter)
    }

    /// The matches of `filter`, counted by SQLite alone.
    private func countMatches(on database: Database, filter: String) throws -> Int {
        try database.withStatement("SELECT count(*) FROM \(table) WHERE \(filter)") { statement in
            try bindFilter(statement, trailing: 0)
            return try statement.step() ? Int(statement.int64(0)) : 0
        }
    }

    /// Binds scope values then `arguments`, after checking that the statement has exactly their placeholders
    /// plus `trailing` more (limit and offset).
    private func bindFilter(_ statement: Statement, trailing: Int) throws {
        let expected = statement.parameterCount - scopeArguments.count - trailing
        guard expected == arguments.count else {
            throw StoreError.argumentCountMismatch(expected: expected, given: arguments.count)
        }
        try statement.bind(scopeArguments)
        try statement.bind(arguments, startingAt: Int32(scopeArguments.count + 1))
    }

    private static func isBlank(_ fragment: String?) -> Bool { fragment.map { $0.allSatisfy(\.isWhitespace) } ?? true }
}
