/// Where the caller keeps the values of declared document paths beside the documents: scalar paths in a
/// narrow row per entity (EntityStore's `entity_hot`), array element members one row per (entity, path,
/// ordinal) (`entity_values`). The compiler reads them instead of parsing each document with
/// `json_extract`/`json_each` when a filter part touches only those paths.
///
/// The contract the rows must keep (the differential tests check the compiled SQL against the evaluator
/// under it):
/// - every entity has exactly one hot row, whose column for a scalar path holds
///   `json_extract(document, '$.path')` (NULL when missing);
/// - an element path (`array` + `member`) has one row per element of the array, when the value at `array`
///   is a JSON array, and none otherwise; every member path of one array has rows for the same ordinals,
///   value the member read from the element when it is an object (NULL otherwise), or the element itself
///   for the member "".
public struct SideTable: Sendable {
    /// The filtered table's rowid as the fragment sees it, e.g. `entities.rowid`.
    public var rowid: String
    public var hotTable: String
    public var hotEntityColumn: String
    /// Document path (`name`, `cluster/extId`) → its column in `hotTable`.
    public var hotColumns: [String: String]
    public var table: String
    public var entityColumn: String
    public var pathColumn: String
    public var ordinalColumn: String
    public var valueColumn: String
    /// Array path (`nics`) → member path below an element (`networkInfo/subnet/extId`, "" for the element
    /// itself) → path id.
    public var elements: [String: [String: Int64]]
    /// Hot-path conjuncts as `EXISTS (SELECT 1 FROM hot WHERE hot.entity = rowid AND …)`, a primary-key probe
    /// per row, instead of `rowid IN (SELECT entity FROM hot WHERE …)`, which SQLite materializes into a
    /// temporary b-tree on every execution. Same rows (both are 1 exactly where the conjunct is 1, never NULL);
    /// cheaper for a kind of a few dozen rows, far dearer for a large one, so the caller chooses by size.
    public var correlated = false

    public init(
        rowid: String, hotTable: String = "entity_hot", hotEntityColumn: String = "entity",
        hotColumns: [String: String] = [:], table: String = "entity_values", entityColumn: String = "entity",
        pathColumn: String = "path", ordinalColumn: String = "ordinal", valueColumn: String = "value",
        elements: [String: [String: Int64]] = [:]
    ) {
        self.rowid = rowid
        self.hotTable = hotTable
        self.hotEntityColumn = hotEntityColumn
        self.hotColumns = hotColumns
        self.table = table
        self.entityColumn = entityColumn
        self.pathColumn = pathColumn
        self.ordinalColumn = ordinalColumn
        self.valueColumn = valueColumn
        self.elements = elements
    }

    var isEmpty: Bool { hotColumns.isEmpty && elements.isEmpty }
}
