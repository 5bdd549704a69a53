/// Where the caller keeps the values of declared document paths in a narrow, indexed side table, one row per
/// (entity, path, ordinal): EntityStore's `entity_values`. The compiler reads it instead of parsing each
/// document with `json_extract`/`json_each` when a filter part touches only those paths.
///
/// The contract the rows must keep (the differential tests check the compiled SQL against the evaluator
/// under it):
/// - a scalar path has exactly one row per entity, ordinal 0, value `json_extract(document, '$.path')`
///   (NULL when missing);
/// - an element path (`array` + `member`) has one row per element of the array, when the value at `array`
///   is a JSON array, and none otherwise; every member path of one array has rows for the same ordinals,
///   value the member read from the element when it is an object (NULL otherwise), or the element itself
///   for the member "".
public struct SideTable: Sendable {
    /// The filtered table's rowid as the fragment sees it, e.g. `entities.rowid`.
    public var rowid: String
    public var table: String
    public var entityColumn: String
    public var pathColumn: String
    public var ordinalColumn: String
    public var valueColumn: String
    /// Document path (`name`, `cluster/extId`) → path id.
    public var scalars: [String: Int64]
    /// Array path (`nics`) → member path below an element (`networkInfo/subnet/extId`, "" for the element
    /// itself) → path id.
    public var elements: [String: [String: Int64]]

    public init(
        rowid: String, table: String = "entity_values", entityColumn: String = "entity", pathColumn: String = "path",
        ordinalColumn: String = "ordinal", valueColumn: String = "value", scalars: [String: Int64] = [:],
        elements: [String: [String: Int64]] = [:]
    ) {
        self.rowid = rowid
        self.table = table
        self.entityColumn = entityColumn
        self.pathColumn = pathColumn
        self.ordinalColumn = ordinalColumn
        self.valueColumn = valueColumn
        self.scalars = scalars
        self.elements = elements
    }

    var isEmpty: Bool { scalars.isEmpty && elements.isEmpty }
}
