/// One problem in a request body, as `SchemaValidationError.validationErrorMessages` reports it.
public struct ValidationProblem: Sendable, Equatable {
    /// `/`-free dotted path as Prism reports it: `disks[0].diskAddress.busType`.
    public var attributePath: String
    public var message: String

    public init(attributePath: String, message: String) {
        self.attributePath = attributePath
        self.message = message
    }
}
