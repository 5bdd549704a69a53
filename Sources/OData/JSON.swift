/// A JSON value that keeps object members in document order, so documents round-trip the way
/// clients wrote them and responses list fields the way Prism Central does.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The value at a `/`-separated member path (`cluster/extId`).
    public func value(atPath path: some StringProtocol) -> JSON? {
        var current: JSON = self
        for part in path.split(separator: "/") {
            guard let next = current[String(part)] else { return nil }
            current = next
        }
        return current
    }
}

/// Object members in insertion order; lookups are linear, which beats hashing for the
/// handful of members a v4 object has.
public struct JSONObject: Sendable, Equatable, Sequence {
    public private(set) var members: [(key: String, value: JSON)]

    public init(_ members: [(key: String, value: JSON)] = []) {
        self.members = members
    }

    /// JSON objects are unordered (RFC 8259 §4): equal when they have the same members,
    /// whatever their order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { m in rhs[m.key] == m.value }
    }

    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSON)]> {
        members.makeIterator()
    }

    /// Get, or set in place (keeping the member's position); setting nil removes the member.
    public subscript(key: String) -> JSON? {
        get {
            for m in members where m.key == key { return m.value }
            return nil
        }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    public mutating func removeAll(where predicate: (String) -> Bool) {
        members.removeAll { predicate($0.key) }
    }
}

extension JSON {
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Integers and doubles alike, as a Double.
    public var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// `["a", "b"]` as strings; nil when absent or not an array of strings.
    public var stringArray: [String]? {
        guard case .array(let items) = self else { return nil }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard case .string(let s) = item else { return nil }
            result.append(s)
        }
        return result
    }
}

extension JSON {
    /// The object reduced to the given member paths (`[["name"], ["cluster", "extId"]]`), keeping
    /// `$objectType`, `$reserved` and `extId`, which the SDKs need to decode an item (`$select`).
    public func projected(_ paths: [[String]]) -> JSON {
        guard case .object(let o) = self else { return self }
        var out = JSONObject()
        for key in ["extId", "$objectType", "$reserved"] {
            if let v = o[key] { out[key] = v }
        }
        for path in paths {
            guard let first = path.first, let value = o[first] else { continue }
            if path.count == 1 {
                out[first] = value
                continue
            }
            let below = value.projected([Array(path.dropFirst())])
            if case .object(var existing)? = out[first], case .object(let more) = below {
                for m in more { existing[m.key] = m.value }
                out[first] = .object(existing)
            } else if case .object = value {
                out[first] = below
            }
        }
        return .object(out)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Members in the literal's order (`["name": .string("a"), "extId": .string("1")]`).
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
