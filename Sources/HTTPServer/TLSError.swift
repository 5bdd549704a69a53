import COpenSSL

/// A failed OpenSSL call: which call, and what OpenSSL's error queue said about it. The queue is
/// per thread and must be empty before the next TLS I/O call (SSL_get_error(3)), so building
/// this error drains it.
public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    /// The error of `operation`, with the reasons OpenSSL queued for it on this thread.
    static func drainingQueue(_ operation: String) -> TLSError {
        TLSError(operation: operation, reason: drainErrorQueue())
    }

    /// Empties this thread's error queue, returning its entries joined (or "unknown error").
    @discardableResult
    static func drainErrorQueue() -> String {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "unknown error" : reasons.joined(separator: "; ")
    }

    public var description: String { "\(operation) failed: \(reason)" }
}
