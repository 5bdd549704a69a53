/// Why a request could not be framed. Each case maps to the status the server answers with
/// before it closes the connection (the framing after such an error cannot be trusted).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status) \(message)" }

    static func badRequest(_ message: String) -> HTTPParseError { .init(status: 400, message: message) }
    static let requestLineTooLong = HTTPParseError(status: 414, message: "request line too long")
    static let headersTooLarge = HTTPParseError(status: 431, message: "header section too large")
    static let tooManyHeaders = HTTPParseError(status: 431, message: "too many header fields")
    static let bodyTooLarge = HTTPParseError(status: 413, message: "request body too large")
    static let unsupportedTransferCoding = HTTPParseError(status: 501, message: "unsupported transfer coding")
    static let unsupportedVersion = HTTPParseError(status: 505, message: "HTTP version not supported")
    static let expectationFailed = HTTPParseError(status: 417, message: "unsupported expectation")
}

/// The limits the parser enforces; the server copies them from its configuration.
public struct HTTPParserLimits: Sendable, Equatable {
    public var maxRequestLineBytes: Int
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    public var maxBodyBytes: Int

    public init(
        maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100, maxBodyBytes: Int = 16 * 1024 * 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
