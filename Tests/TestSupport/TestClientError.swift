public enum TestClientError: Error, Equatable, CustomStringConvertible {
    /// A socket call failed; errno is kept.
    case socket(operation: String, errno: Int32)
    /// Nothing arrived within the client's timeout.
    case timeout
    /// The server closed the connection before a complete response arrived.
    case closedBeforeResponse(received: Int)
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .socket(let operation, let code): "\(operation) failed (errno \(code))"
        case .timeout: "timed out waiting for the server"
        case .closedBeforeResponse(let received): "connection closed after \(received) bytes of a response"
        case .malformedResponse(let reason): "malformed response: \(reason)"
        }
    }
}
