/// SQL text with `?` placeholders and the values to bind to them, in order. User values only ever
/// travel in `arguments`; the text holds operators, function names and catalog-derived JSON paths.
public struct SQLFragment: Sendable, Equatable {
    public var sql: String
    public var arguments: [SQLArgument]

    public init(sql: String = "", arguments: [SQLArgument] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    mutating func append(_ text: String) { sql += text }

    mutating func append(_ fragment: SQLFragment) {
        sql += fragment.sql
        arguments += fragment.arguments
    }

    mutating func bind(_ argument: SQLArgument) {
        sql += "?"
        arguments.append(argument)
    }
}

/// A value bound to one `?` (sqlite3_bind_null / _int64 / _double / _text).
public enum SQLArgument: Sendable, Equatable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
}

extension SQLFragment {
    /// `'$.a.b'` as an SQL string literal. Segments come from the field catalog, which admits only
    /// identifiers, so no quote can occur; keys are still written `."key"` form-safe for JSON path.
    static func jsonPath(_ path: [String]) -> String {
        var text = ""
        appendJSONPath(path, to: &text)
        return text
    }

    static func appendJSONPath(_ path: [String], to text: inout String) {
        text += "'$"
        for segment in path {
            // FieldCatalog.add and the binder admit identifiers only; checked again in debug builds.
            assert(FieldCatalog.isIdentifier(segment), "JSON path segment is not an identifier")
            text += "."
            text += segment
        }
        text += "'"
    }
}
