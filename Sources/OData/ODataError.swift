/// Every failure the OData module reports: a parse, binding or option error, positioned on the input.
///
/// `description` reads like `$filter: expected ')' at 17, found 'and'` so the application can put
/// it verbatim after "Odata Error: " in a v4 error body (odata.md §6.5).
public struct ODataError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case syntax
        case depthExceeded
        case unknownProperty
        case unknownFunction
        case typeMismatch
        case unknownEnumMember
        case invalidOption
        /// The SQL compiler cannot express this query exactly; evaluate it in memory instead.
        case unsupportedInSQL
        case unsupported
    }

    public var kind: Kind
    /// The query option the error belongs to, e.g. `$filter`.
    public var option: String
    /// Byte offset of the offending token in the option's (form-decoded) value.
    public var offset: Int
    /// The offending token as written, or `end of input`.
    public var token: String
    public var message: String

    public init(_ kind: Kind, option: String, offset: Int, token: String, message: String) {
        self.kind = kind
        self.option = option
        self.offset = offset
        self.token = token
        self.message = message
    }

    public var description: String {
        let shown = token.count > 40 ? String(token.prefix(40)) + "…" : token
        return "\(option): \(message) at \(offset), found '\(shown)'"
    }
}
