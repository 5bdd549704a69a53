/// One problem in a request body, as `SchemaValidationError.validationErrorMessages` reports it.
public struct ValidationProblem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The value breaks the model (type, enum member, required field, `$objectType`).
        case invalid
        /// A member the model does not declare; reported only by `BodyValidator.rejectUnknownFields`.
        case unknownField
    }

    /// `/`-free dotted path as Prism reports it: `disks[0].diskAddress.busType`.
    public var attributePath: String
    public var message: String
    public var kind: Kind

    public init(attributePath: String, message: String, kind: Kind = .invalid) {
        self.attributePath = attributePath
        self.message = message
        self.kind = kind
    }
}
