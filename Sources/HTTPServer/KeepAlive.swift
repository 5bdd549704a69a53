extension HTTPRequest {
    /// Whether the client wants the connection kept open after this request (RFC 9112 §9.3):
    /// HTTP/1.1 unless it sends `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var wantsKeepAlive: Bool {
        // Most requests send no Connection field: no list to split then.
        guard headers.contains("Connection") else { return version == .http1_1 }
        let tokens = HTTPSyntax.listElements(headers.values("Connection"))
        if tokens.contains(where: { $0.equalsIgnoringASCIICase("close") }) { return false }
        if version == .http1_1 { return true }
        return tokens.contains { $0.equalsIgnoringASCIICase("keep-alive") }
    }
}

extension HTTPResponse {
    /// Whether the application asked for the connection to end with this response.
    var asksToClose: Bool {
        if closeConnection { return true }
        guard headers.contains("Connection") else { return false }
        return HTTPSyntax.listElements(headers.values("Connection")).contains { $0.equalsIgnoringASCIICase("close") }
    }
}
