import FoundationEssentials

public struct ODataOptions: Sendable {
    /// Nesting limit for expressions (parentheses, operators, calls, lambdas).
    public var maxDepth: Int
    /// Accept Nutanix's infix `name startswith 'x'` / `contains` / `endswith` (odata.md §0.1).
    public var nutanixCompat: Bool
    /// What `now()` means; nil is the wall clock at parse time (inject a clock in tests).
    public var now: Date?

    public init(maxDepth: Int = 100, nutanixCompat: Bool = true, now: Date? = nil) {
        self.maxDepth = maxDepth
        self.nutanixCompat = nutanixCompat
        self.now = now
    }
}

/// The system query options of one list request, parsed, validated and bound to a field catalog.
public struct ODataQuery: Sendable {
    public let filterSyntax: Node?
    let filter: BoundExpression?
    public let orderBy: [OrderByItem]
    public let select: Selection
    public let expand: [ExpandItem]
    public let page: Int
    public let limit: Int

    /// Values are the form-decoded option values (`+` already turned into a space); nil or blank
    /// means absent. `sortable`/`selectable` nil means any catalog path / any path is allowed.
    public static func parse(
        filter: String? = nil, orderby: String? = nil, select: String? = nil, expand: String? = nil,
        page: String? = nil, limit: String? = nil, catalog: FieldCatalog, sortable: Set<String>? = nil,
        selectable: Set<String>? = nil, expandable: Set<String> = [], options: ODataOptions = ODataOptions()
    ) throws(ODataError) -> ODataQuery {
        let date = options.now ?? Date()
        let now = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var syntax: Node?
        var bound: BoundExpression?
        if let text = Paging.nonEmpty(filter) {
            let node = try Parser.parseFilter(filter ?? text, maxDepth: options.maxDepth,
                                              nutanixCompat: options.nutanixCompat)
            var binder = Binder(catalog: catalog, option: "$filter", source: filter ?? text, now: now)
            bound = try binder.bindPredicate(node)
            syntax = node
        }
        var orderItems: [OrderByItem] = []
        if let text = Paging.nonEmpty(orderby) {
            orderItems = try OrderByItem.parse(
                orderby ?? text, catalog: catalog, sortable: sortable,
                options: options, now: now)
        }
        var selection = Selection.all
        if let text = Paging.nonEmpty(select) {
            selection = try Selection.parse(select ?? text, selectable: selectable)
        }
        var expansions: [ExpandItem] = []
        if let text = Paging.nonEmpty(expand) {
            expansions = try ExpandItem.parse(expand ?? text, expandable: expandable)
        }
        return ODataQuery(
            filterSyntax: syntax, filter: bound, orderBy: orderItems, select: selection,
            expand: expansions, page: try Paging.page(page), limit: try Paging.limit(limit))
    }

    /// Rows to skip: `$page * $limit`.
    public var offset: Int { page.multipliedReportingOverflow(by: limit).overflow ? Int.max : page * limit }

    /// The filter in canonical form (nil without `$filter`).
    public var canonicalFilter: String? { filterSyntax.map(Printer.print) }

    /// Whether a document passes `$filter` (true without one): only `true` passes, null and false don't.
    public func matches(_ document: JSON) -> Bool {
        guard let filter else { return true }
        return Evaluator.matches(filter, document)
    }

    /// The `$filter` as an SQLite boolean expression over `documentColumn` (nil without `$filter`).
    /// Throws `.unsupportedInSQL` when only the evaluator can answer; then filter with `matches`.
    /// `columns` maps hot document paths to columns holding `json_extract(document, '$.path')`
    /// (e.g. generated columns), which the SQL then reads instead of parsing the document.
    /// `side` names the caller's side table of declared paths; filter parts that read only those paths are
    /// answered from it (see `SideTable`).
    public func sqlWhere(
        documentColumn: String = "document", columns: [String: String] = [:], side: SideTable? = nil
    ) throws(ODataError) -> SQLFragment? {
        guard let filter else { return nil }
        var compiler = SQLCompiler(document: documentColumn, columns: columns)
        if let side, !side.isEmpty { compiler.side = side }
        let fragment = try compiler.compileWhere(filter)
        // SQLite refuses more than SQLITE_MAX_VARIABLE_NUMBER (32766) parameters; huge `in` lists
        // are left to the evaluator instead of failing the statement.
        if fragment.arguments.count > 30_000 {
            throw ODataError(.unsupportedInSQL, option: "$filter", offset: 0, token: "in",
                             message: "too many values for one SQL statement")
        }
        return fragment
    }

    /// `$orderby` as an SQLite ORDER BY list (without the keywords), ending with `tieBreak ASC` so
    /// pages are stable. SQLite sorts NULL first ascending and last descending, as OData does.
    public func sqlOrderBy(documentColumn: String = "document", columns: [String: String] = [:], tieBreak: String)
        throws(ODataError) -> SQLFragment
    {
        let compiler = SQLCompiler(document: documentColumn, columns: columns)
        var fragment = SQLFragment()
        for item in orderBy {
            fragment.append(try item.sqlKey(compiler))
            fragment.append(item.descending ? " DESC, " : " ASC, ")
        }
        fragment.append(tieBreak + " ASC")
        return fragment
    }

    /// In-memory `$orderby` comparison (negative, zero or positive), consistent with `sqlOrderBy`
    /// except for the tie-break, which the caller applies.
    public func compare(_ a: JSON, _ b: JSON) -> Int {
        for item in orderBy {
            let x = item.key(a)
            let y = item.key(b)
            var result: Int
            switch (x.isNull, y.isNull) {
            case (true, true): result = 0
            case (true, false): result = -1
            case (false, true): result = 1
            default: result = Evaluator.order(x, y) ?? 0
            }
            if item.descending { result = -result }
            if result != 0 { return result }
        }
        return 0
    }
}
