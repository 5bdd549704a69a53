/// A response the application hands back. The server adds `Date`, `Content-Length` and
/// `Connection`; a HEAD request gets the headers without the body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the connection after sending (e.g. a fault rule that drops the client).
    public var closeConnection: Bool
    /// Send the response only after this long (latency fault injection). The event loop is not
    /// blocked meanwhile, and later pipelined responses on the connection wait behind it.
    public var delay: Duration?
    /// Send nothing: close the connection (after `delay`, and after the responses to earlier
    /// pipelined requests) so the client sees it end with no answer (dropped-connection faults).
    /// `status` and the rest are then only what the application records.
    public var dropConnection: Bool

    public init(
        status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], closeConnection: Bool = false,
        delay: Duration? = nil, dropConnection: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
        self.delay = delay
        self.dropConnection = dropConnection
    }

    public static func json(_ status: Int, _ body: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var h = headers
        h.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: h, body: Array(body.utf8))
    }
}

/// Reason phrases for the status codes pcmock sends (RFC 9110 §15, RFC 6585).
public func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 411: "Length Required"
    case 412: "Precondition Failed"
    case 413: "Content Too Large"
    case 414: "URI Too Long"
    case 415: "Unsupported Media Type"
    case 417: "Expectation Failed"
    case 422: "Unprocessable Content"
    case 428: "Precondition Required"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    case 505: "HTTP Version Not Supported"
    default: "Status \(status)"
    }
}
