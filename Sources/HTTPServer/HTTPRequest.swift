/// HTTP protocol version of a request. Only 1.0 and 1.1 are served (others get 505).
public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// One parsed request, body fully read (de-chunked).
public struct HTTPRequest: Sendable {
    /// The method token exactly as sent (methods are case-sensitive, RFC 9110 §9.1).
    public var method: String
    /// The request target exactly as sent, e.g. `/api/vmm/v4.3/ahv/config/vms?%24limit=2`.
    public var target: String {
        didSet { queryMark = HTTPRequest.queryMark(in: target) }
    }
    /// Where `?` is in `target`: the path is asked for many times per request.
    private var queryMark: String.Index?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Chunked trailer fields, if any.
    public var trailers: HTTPHeaders

    public init(
        method: String, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders()
    ) {
        self.method = method
        self.target = target
        self.queryMark = HTTPRequest.queryMark(in: target)
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }

    /// The target up to `?`, still percent-encoded.
    public var path: Substring {
        if let queryMark { return target[..<queryMark] }
        return target[...]
    }

    /// The raw query after `?` (without it), or nil.
    public var query: Substring? {
        guard let queryMark else { return nil }
        return target[target.index(after: queryMark)...]
    }

    // Byte search: Character-level `firstIndex(of:)` walks grapheme boundaries and showed up in
    // request-path profiles.
    // Over the contiguous bytes when there are some: `UTF8View.firstIndex` steps string
    // indices, ~1.9k instructions for a 70-byte target.
    private static func queryMark(in target: String) -> String.Index? {
        let utf8 = target.utf8
        if let offset = utf8.withContiguousStorageIfAvailable({ $0.firstIndex(of: UInt8(ascii: "?")) }) {
            return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
        }
        return utf8.firstIndex(of: UInt8(ascii: "?"))
    }
}

/// Where a request came from, for rate limiting and the journal.
public struct ConnectionInfo: Sendable {
    public var remoteAddress: String
    public var remotePort: Int
    public var localPort: Int
    /// Whether the request came over TLS (for links the application builds: https or http).
    public var isSecure: Bool
    public init(remoteAddress: String, remotePort: Int, localPort: Int, isSecure: Bool = false) {
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.localPort = localPort
        self.isSecure = isSecure
    }
}
