import OData

/// The body members a request model does not declare, found by walking the raw bytes against
/// the model instead of building the JSON value and validating it (`BodyValidator` with
/// `rejectUnknownFields` finds the same members at several times the cost). Contract checking
/// runs it on every accepted change in every mode, so it allocates only the keys it reads.
///
/// `$`-prefixed members (`$objectType`, `$reserved`, `$unknownFields`) and everything under an
/// untyped value are not looked into. A `oneOf` value, whose member is chosen by an
/// `$objectType` that may come last, is parsed and handed to `BodyValidator`.
public struct UnknownFieldScanner: Sendable {
    public let catalog: Catalog
    public let namespace: String
    /// Beyond this nesting the rest of a value is skipped unchecked.
    static let maxDepth = 64
    static let maxFound = 50

    public init(catalog: Catalog, namespace: String) {
        self.catalog = catalog
        self.namespace = namespace
    }

    /// Attribute paths (`disks[0].backingInfo.colour`) of undeclared members, in body order; nil
    /// when the body is not well-formed JSON (the engine answers that).
    public func scan(_ body: [UInt8], as type: SchemaType) -> [String]? {
        body.withUnsafeBufferPointer { buffer in
            var walk = Walk(bytes: buffer, scanner: self)
            do {
                try walk.value(type, depth: 0)
                walk.skipSpace()
                guard walk.i == buffer.count else { return nil }
            } catch {
                return nil
            }
            return walk.found
        }
    }

    fileprivate func model(_ name: String) -> Model? {
        catalog.model(named: name, in: namespace) ?? catalog.model(named: name)
    }
}

private struct Malformed: Error {}

private struct Walk {
    enum Component {
        case key(String)
        case index(Int)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let scanner: UnknownFieldScanner
    var i = 0
    var path: [Component] = []
    var found: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>, scanner: UnknownFieldScanner) {
        self.bytes = bytes
        self.scanner = scanner
    }

    var pathText: String {
        var out = ""
        for c in path {
            switch c {
            case .key(let k): out += out.isEmpty ? k : "." + k
            case .index(let n): out += "[\(n)]"
            }
        }
        return out
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { throw Malformed() }
        i += 1
    }

    /// One value of `type` (nil: skip it).
    mutating func value(_ type: SchemaType?, depth: Int) throws {
        skipSpace()
        guard i < bytes.count else { throw Malformed() }
        guard let type, depth < UnknownFieldScanner.maxDepth else { return try skip() }
        switch (bytes[i], type) {
        case (UInt8(ascii: "{"), .model(let name)):
            guard let model = scanner.model(name), model.kind != .enumeration else { return try skip() }
            try object(depth: depth) { key in
                if key.hasPrefix("$") { return nil }
                // Length first: most candidates differ in it, and it costs nothing on native strings.
                let count = key.utf8.count
                guard let property = model.properties.first(where: { $0.name.utf8.count == count && $0.name == key })
                else { return .unknown }
                return .typed(property.type)
            }
        case (UInt8(ascii: "{"), .map(let element)):
            try object(depth: depth) { key in key.hasPrefix("$") ? nil : .typed(element) }
        case (UInt8(ascii: "{"), .oneOf(let members)):
            // The member is the one `$objectType` names (sdk-contract.md §e), wherever it stands.
            if let declared = try objectTypeAhead(),
                let member = members.first(where: { memberObjectType($0.type) == declared })
            {
                try value(member.type, depth: depth)
            } else {
                try oneOf(members)
            }
        case (UInt8(ascii: "["), .array(let element)):
            i += 1
            var index = 0
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                path.append(.index(index))
                try value(element, depth: depth + 1)
                path.removeLast()
                index += 1
                skipSpace()
                guard i < bytes.count else { throw Malformed() }
                if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return
                }
                guard bytes[i] == UInt8(ascii: ",") else { throw Malformed() }
                i += 1
            }
        default:
            try skip()
        }
    }

    enum Member {
        case typed(SchemaType)
        case unknown
    }

    /// An object whose members `member` classifies: typed (descend), unknown (record), nil (skip).
    mutating func object(depth: Int, _ member: (String) -> Member?) throws {
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            skipSpace()
            let key = try string()
            try expect(UInt8(ascii: ":"))
            path.append(.key(key))
            switch member(key) {
            case .typed(let t)?: try value(t, depth: depth + 1)
            case .unknown?:
                if found.count < UnknownFieldScanner.maxFound { found.append(pathText) }
                skipSpace()
                try skip()
            case nil:
                skipSpace()
                try skip()
            }
            path.removeLast()
            skipSpace()
            guard i < bytes.count else { throw Malformed() }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return
            }
            guard bytes[i] == UInt8(ascii: ",") else { throw Malformed() }
            i += 1
        }
    }

    func memberObjectType(_ type: SchemaType) -> String? {
        guard case .model(let name) = type else { return nil }
        return scanner.model(name)?.objectType ?? name
    }

    /// The `$objectType` of the object starting at `i`, read without moving `i`.
    mutating func objectTypeAhead() throws -> String? {
        let start = i
        defer { i = start }
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { return nil }
        while true {
            skipSpace()
            let key = try string()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            if key == "$objectType", i < bytes.count, bytes[i] == UInt8(ascii: "\"") { return try string() }
            try skip()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    /// No `$objectType` to choose by: the validator tries each member.
    mutating func oneOf(_ members: [OneOfMember]) throws {
        let start = i
        try skip()
        guard let value = try? JSON.parse(Array(bytes[start..<i])) else { throw Malformed() }
        var validator = BodyValidator(catalog: scanner.catalog, namespace: scanner.namespace)
        validator.rejectUnknownFields = true
        let here = pathText
        for problem in validator.validate(value, as: .oneOf(members)) where problem.kind == .unknownField {
            guard found.count < UnknownFieldScanner.maxFound else { break }
            let relative = problem.attributePath
            if here.isEmpty {
                found.append(relative)
            } else {
                found.append(relative.hasPrefix("[") ? here + relative : here + "." + relative)
            }
        }
    }

    /// A string token, decoded (a key); escapes are rare in keys, so only they take the slow path.
    mutating func string() throws -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Malformed() }
        let start = i
        try skipString()
        let raw = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(i - 1)])
        if !raw.contains(UInt8(ascii: "\\")) { return String(decoding: raw, as: UTF8.self) }
        guard case .string(let s)? = try? JSON.parse(Array(bytes[start..<i])) else { throw Malformed() }
        return s
    }

    mutating func skipString() throws {
        i += 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                i += 1
                return
            case UInt8(ascii: "\\"): i += 2
            default: i += 1
            }
        }
        throw Malformed()
    }

    /// Any value, without recursion (nesting is counted, not followed).
    mutating func skip() throws {
        skipSpace()
        guard i < bytes.count else { throw Malformed() }
        var nesting = 0
        repeat {
            guard i < bytes.count else { throw Malformed() }
            switch bytes[i] {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                nesting -= 1
                guard nesting >= 0 else { throw Malformed() }
                i += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x0A, 0x0D, 0x09:
                guard nesting > 0 else { throw Malformed() }
                i += 1
            default:
                // A scalar: up to the next delimiter.
                while i < bytes.count, !Walk.isDelimiter(bytes[i]) { i += 1 }
            }
        } while nesting > 0
    }

    static func isDelimiter(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == UInt8(ascii: ":")
            || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == UInt8(ascii: "\"")
            || b == UInt8(ascii: "{") || b == UInt8(ascii: "[")
    }
}
