/// The fields a caller lets clients filter on, and their types. OData knows no Nutanix model: the
/// application describes each resource with one of these (built from its OpenAPI catalog).
public indirect enum FieldType: Sendable, Equatable {
    case string
    case integer
    case double
    case boolean
    /// RFC 3339 text in documents, compared as instants.
    case datetime
    /// A UUID held as text; compared case-insensitively.
    case guid
    case enumeration(EnumType)
    case array(FieldType)
    case object(FieldCatalog)

    var isPrimitive: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

public struct EnumType: Sendable, Equatable {
    /// Members in declaration order (which is the order `gt`/`lt`/`$orderby` use).
    public var members: [String]
    /// E.g. `vmm.v4.ahv.config.PowerState`; informative only, since real clients send any qualifier.
    public var qualifiedName: String?

    public init(_ members: [String], qualifiedName: String? = nil) {
        self.members = members
        self.qualifiedName = qualifiedName
    }

    func rank(of member: String) -> Int? { members.firstIndex(of: member) }
}

public struct FieldCatalog: Sendable, Equatable {
    public private(set) var fields: [String: FieldType] = [:]

    /// Keys are field paths (`name`, `cluster/extId`); intermediate objects are created as needed.
    /// Each segment must be an OData identifier (`[A-Za-z_][A-Za-z0-9_]*`): the SQL compiler writes
    /// these names into JSON paths, so the catalog is the only source of path text.
    public init(_ paths: [String: FieldType] = [:]) {
        for (path, type) in paths.sorted(by: { $0.key < $1.key }) {
            add(path, type)
        }
    }

    public mutating func add(_ path: String, _ type: FieldType) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for segment in segments {
            precondition(FieldCatalog.isIdentifier(segment), "field catalog: '\(path)' is not an identifier path")
        }
        insert(segments[...], type)
    }

    private mutating func insert(_ segments: ArraySlice<String>, _ type: FieldType) {
        guard let first = segments.first else { return }
        let rest = segments.dropFirst()
        if rest.isEmpty {
            fields[first] = type
            return
        }
        var child: FieldCatalog
        if case .object(let existing)? = fields[first] { child = existing } else { child = FieldCatalog() }
        child.insert(rest, type)
        fields[first] = .object(child)
    }

    /// The type at `path`, walking objects (not arrays).
    public func type(at path: [String]) -> FieldType? {
        var catalog = self
        for (index, segment) in path.enumerated() {
            guard let type = catalog.fields[segment] else { return nil }
            if index == path.count - 1 { return type }
            guard case .object(let child) = type else { return nil }
            catalog = child
        }
        return nil
    }

    static func isIdentifier<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.utf8.first, Lexer.isIdentifierStart(first), text.utf8.count <= 128 else { return false }
        return text.utf8.allSatisfy(Lexer.isIdentifierByte)
    }
}
