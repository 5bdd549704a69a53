/// The JSON tree the catalog loader reads openapi/*.json into (RFC 8259 values).
///
/// Internal on purpose: the catalog exposes typed structs, and the request path never sees this.
/// Objects keep their members as an ordered list, not a `Dictionary`: building millions of small
/// dictionaries (hashing every key) was most of the start-up time, while the reader only looks up
/// a handful of keys per object or walks all members anyway.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var objectValue: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// `["a", "b"]` as strings; nil when absent or not an array of strings.
    var stringArray: [String]? {
        guard let items = arrayValue else { return nil }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let text = item.stringValue else { return nil }
            result.append(text)
        }
        return result
    }
}
