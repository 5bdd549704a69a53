import Glibc

/// A failed socket call: which call, and the errno it left (captured on the spot, before any
/// other call can overwrite it).
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var message: String

    public init(operation: String, code: Int32, message: String? = nil) {
        self.operation = operation
        self.code = code
        self.message = message ?? String(cString: strerror(code))
    }

    /// The error of `operation` as errno reports it now.
    static func fromErrno(_ operation: String) -> SocketError {
        SocketError(operation: operation, code: errno)
    }

    public var description: String { "\(operation) failed: \(message) (errno \(code))" }
}
