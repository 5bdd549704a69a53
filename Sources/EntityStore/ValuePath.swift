/// A document path whose values the store keeps in `entity_values` beside the JSON text, so that filters on it
/// read a narrow indexed table instead of parsing every document (SQLite 3.40 has no JSONB: `json_extract`
/// re-parses the whole text per row).
///
/// A scalar path (`name`, `cluster/extId`) has exactly one row per entity of its kind, ordinal 0, value
/// `json_extract(document, '$.path')` (NULL when missing). An element path (`nics[*]` then
/// `networkInfo/subnet/extId`) has one row per element of the array at `array`, ordinal the element's
/// index, value the member read from that element (NULL when the element lacks it or is not an object);
/// a missing or non-array `array`, or an empty one, has no rows. Every element path of one array therefore
/// has rows for the same ordinals, which is what lets a filter join two members of one element.
public struct ValuePath: Sendable, Hashable {
    /// The array's path for an element path; nil for a scalar path.
    public let array: String?
    /// The scalar's path, or the member's path below one element ("" for the element itself).
    public let member: String
    /// Also kept in a (path, value) index, so that equality finds its entities without reading the path's
    /// rows. Costs every insert an index entry per row; worth it for near-unique fields filtered by equality.
    public var indexed = false

    public static func scalar(_ path: String, indexed: Bool = false) -> ValuePath {
        ValuePath(array: nil, member: path, indexed: indexed)
    }

    public static func element(of array: String, _ member: String = "", indexed: Bool = false) -> ValuePath {
        ValuePath(array: array, member: member, indexed: indexed)
    }

    /// Identity is the path: `indexed` is how it is stored, not which values.
    public static func == (a: ValuePath, b: ValuePath) -> Bool { a.array == b.array && a.member == b.member }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(array)
        hasher.combine(member)
    }

    /// How `value_paths` spells it: `name`, `nics[*]/networkInfo/subnet/extId`, `tags[*]`.
    public var key: String {
        guard let array else { return member }
        return member.isEmpty ? array + "[*]" : array + "[*]/" + member
    }

    /// `/`-separated identifiers (letters, digits, `_`, not starting with a digit), as the OData field
    /// catalog admits them; the paths are spliced into SQL text, so nothing else may pass.
    var isValid: Bool {
        if let array, !Self.isIdentifierPath(array) { return false }
        return array != nil && member.isEmpty ? true : Self.isIdentifierPath(member)
    }

    static func isIdentifierPath(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.isEmpty
            && segments.allSatisfy { segment in
                guard let first = segment.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
                    return false
                }
                return segment.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                        true
                    default: false
                    }
                }
            }
    }

    /// `'$.a.b'` as an SQL string literal (the path is checked by `isValid` first).
    static func jsonPathLiteral(_ path: String) -> String {
        "'$." + path.split(separator: "/").joined(separator: ".") + "'"
    }
}
