import EntityStore
import HTTPServer
import OData
import PrismAPI

/// A list request's `$filter`/`$orderby`/`$select`/`$expand`/`$page`/`$limit`, parsed against the
/// operation's published field lists and compiled to SQL for the store. A field outside the
/// lists is a 400 naming the field (issue 5: "a field outside them → 400").
struct ListQuery {
    let odata: ODataQuery
    let whereSQL: String?
    /// See `CompiledListCache.Compiled.smallKindWhereSQL`.
    let smallKindWhereSQL: String?
    let orderBySQL: String?
    let arguments: [SQLValue]
    /// The filter or order uses something only the evaluator can answer (`matchesPattern`,
    /// `fractionalseconds`…): the caller filters and sorts the kind's documents in memory.
    let needsEvaluator: Bool
    var page: Int { odata.page }
    var limit: Int { odata.limit }
    private let rawQuery: [(name: String, value: String)]

    /// `side`: the kind's declared paths in the store's side table, which the filter may read instead of the
    /// documents (see `ValuePaths`).
    init(_ ctx: RequestContext, contract: Contract, side: SideTable? = nil) throws {
        let op = ctx.operation
        let t = ctx.target
        let key = CompiledListCache.Key(
            operation: Contract.key(op), filter: t.value("$filter"), orderby: t.value("$orderby"),
            select: t.value("$select"), expand: t.value("$expand"), page: t.value("$page"), limit: t.value("$limit"),
            rowid: side?.rowid, hotColumns: side?.hotColumns ?? [:], elements: side?.elements ?? [:])
        let compiled: CompiledListCache.Compiled
        let cacheable = CompiledListCache.cacheable(key)
        if cacheable, let hit = contract.compiledLists.lookup(key) {
            compiled = hit
        } else {
            compiled = try ListQuery.compile(ctx, key: key, contract: contract, side: side)
            if cacheable { contract.compiledLists.store(compiled, for: key) }
        }
        odata = compiled.odata
        whereSQL = compiled.whereSQL
        smallKindWhereSQL = compiled.smallKindWhereSQL
        orderBySQL = compiled.orderBySQL
        arguments = compiled.arguments
        needsEvaluator = compiled.needsEvaluator
        rawQuery = t.query
    }

    private static func compile(_ ctx: RequestContext, key: CompiledListCache.Key, contract: Contract, side: SideTable?)
        throws -> CompiledListCache.Compiled
    {
        let op = ctx.operation
        let catalog = contract.filterCatalog(for: op)
        let odata: ODataQuery
        do {
            odata = try ODataQuery.parse(
                filter: key.filter, orderby: key.orderby, select: key.select, expand: key.expand, page: key.page,
                limit: key.limit, catalog: catalog.filterable, sortable: catalog.sortable,
                selectable: catalog.selectable, expandable: Set(op.expandable ?? []))
        } catch {
            var e = V4Error.badRequest(ctx.namespace, error.description, group: "INVALID_QUERY")
            e.arguments = [("option", error.option), ("offset", String(error.offset)), ("token", error.token)]
            e.envelopeObjectType = op.responseModel
            throw e
        }
        var args: [SQLValue] = []
        var whereText: String? = nil
        var smallKindText: String? = nil
        var evaluator = false
        var orderText: String? = nil
        do {
            if let fragment = try odata.sqlWhere(documentColumn: StoreSchema.Entities.document, side: side) {
                whereText = fragment.sql
                args = fragment.arguments.map(ListQuery.sqlValue)
                if var correlated = side, !correlated.hotColumns.isEmpty {
                    correlated.correlated = true
                    if let other = try odata.sqlWhere(documentColumn: StoreSchema.Entities.document, side: correlated),
                        other.sql != fragment.sql, other.arguments == fragment.arguments
                    {
                        smallKindText = other.sql
                    }
                }
            }
            let order = try odata.sqlOrderBy(documentColumn: StoreSchema.Entities.document, tieBreak: StoreSchema.Entities.extId)
            guard order.arguments.isEmpty else {
                throw V4Error.badRequest(ctx.namespace, "$orderby: only property paths can be sorted on", group: "INVALID_QUERY")
            }
            orderText = odata.orderBy.isEmpty ? nil : order.sql
        } catch let error as ODataError where error.kind == .unsupportedInSQL {
            evaluator = true
            whereText = nil
            smallKindText = nil
            args = []
        } catch let error as ODataError {
            throw V4Error.badRequest(ctx.namespace, error.description, group: "INVALID_QUERY")
        }
        return CompiledListCache.Compiled(
            odata: odata, whereSQL: whereText, smallKindWhereSQL: smallKindText, orderBySQL: orderText,
            arguments: args, needsEvaluator: evaluator)
    }

    static func sqlValue(_ a: SQLArgument) -> SQLValue {
        switch a {
        case .null: .null
        case .integer(let i): .integer(i)
        case .double(let d): .real(d)
        case .text(let s): .text(s)
        }
    }

    /// One page of rows and the total matching: `load` runs the SQL (filter, order, limit and
    /// offset as given); for filters only the evaluator answers, it is asked for the kind's rows
    /// unfiltered, which are then filtered, sorted and paged here.
    func fetch<Row>(
        document: (Row) -> String, extId: (Row) -> String,
        _ load: (_ whereSQL: String?, _ orderBySQL: String?, _ arguments: [SQLValue], _ limit: Int, _ offset: Int)
            throws -> (rows: [Row], total: Int)
    ) throws -> (rows: [Row], total: Int) {
        guard needsEvaluator else { return try load(whereSQL, orderBySQL, arguments, limit, page * limit) }
        let all = try load(nil, nil, [], ListQuery.evaluatorScanLimit, 0).rows
        var kept: [(row: Row, value: JSON)] = []
        for row in all {
            guard let value = try? JSON.parse(document(row)), odata.matches(value) else { continue }
            kept.append((row, value))
        }
        kept.sort { a, b in
            let c = odata.compare(a.value, b.value)
            return c != 0 ? c < 0 : extId(a.row) < extId(b.row)
        }
        let start = min(odata.offset, kept.count)
        let end = min(start + limit, kept.count)
        return (kept[start..<end].map(\.row), kept.count)
    }

    /// Filters only the evaluator can answer scan at most this many rows of a kind.
    static let evaluatorScanLimit = 100_000

    /// The list envelope for a page: each document projected by `$select` (and given its
    /// `$reserved` unless it carries one), `metadata` with the total and links built from the
    /// request, `$dataItemDiscriminator` from the operation's item model; `data` omitted when empty.
    func response(_ ctx: RequestContext, documents: [String], total: Int, fv: String, addReserved: Bool = true)
        throws -> HTTPResponse
    {
        try response(ctx, fv: fv, addReserved: addReserved) { body in
            body.expect(documents.count)
            for document in documents { try body.append(document) }
            return total
        }
    }

    /// The same envelope with the page written by `fill`, which appends the documents (for a store page,
    /// straight from SQLite's row buffers) and returns the total.
    ///
    /// Assembled straight into the response body: growing a `String` item by item and then copying it
    /// into the body was a fifth of a 66 KB list's CPU.
    func response(
        _ ctx: RequestContext, fv: String, addReserved: Bool = true, fill: (inout ListBody) throws -> Int
    ) throws -> HTTPResponse {
        var projection: ((String) throws -> String)? = nil
        if case .paths = odata.select { projection = { try self.project($0) } }
        let envelope = ListEnvelope(
            origin: ctx.origin, path: ctx.request.path, query: rawQuery, page: page, limit: limit,
            itemModel: ctx.operation.listItemModel, objectType: ctx.operation.responseModel, fv: fv)
        var body = ListBody(
            envelope: envelope, reserved: addReserved ? ListEnvelope.reservedMember(fv: fv) : nil,
            project: projection)
        let total = try fill(&body)
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: 200, headers: headers, body: body.finish(total: total))
    }

    /// The document text as sent: whole, or reduced to `$select`'s paths.
    func project(_ document: String) throws -> String {
        guard case .paths(let paths) = odata.select else { return document }
        return try JSON.parse(document).projected(paths).text
    }
}

enum FormEncoding {
    /// application/x-www-form-urlencoded for a key or value: unreserved bytes and `$` kept.
    static func encode(_ s: String) -> String {
        var out: [UInt8] = []
        encode(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `encode(_:)` appended as bytes; the result is ASCII.
    static func encode(_ s: String, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "$"), UInt8(ascii: "/"):
                out.append(b)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0xf))
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + (nibble - 10)
    }
}
