import Glibc

/// The application's answer to a request.
public typealias HTTPHandler = @Sendable (HTTPRequest, ConnectionInfo) -> HTTPResponse

public struct HTTPServerConfiguration: Sendable {
    /// A numeric IPv4/IPv6 address or a name; a name is bound on every address it resolves to.
    public var host: String = "127.0.0.1"
    /// 0 picks a free port; `HTTPServer.localPort` tells which.
    public var port: Int = 9440
    /// Longer request line → 414.
    public var maxRequestLineBytes = 8 * 1024
    /// Larger header section → 431.
    public var maxHeaderBytes = 32 * 1024
    /// More header fields → 431.
    public var maxHeaderCount = 100
    /// Larger body → 413.
    public var maxBodyBytes = 16 * 1024 * 1024
    /// A request head not complete this long after it began → 408, then close.
    public var headerTimeout: Duration = .seconds(10)
    /// A keep-alive connection with nothing to do is closed after this long.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a closing connection keeps reading (and discarding) so that the client gets the
    /// last response rather than a reset.
    public var lingerTimeout: Duration = .seconds(2)
    /// Event loops (one thread each) that connections are spread over.
    public var workerCount: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    /// Serve https instead of http on `port` (nil: plain http).
    public var tls: TLSConfiguration?
    /// Builds the responses the server itself generates (framing errors, 408 …).
    public var errorResponder: @Sendable (_ status: Int, _ message: String) -> HTTPResponse = { status, message in
        HTTPServerConfiguration.defaultErrorResponse(status: status, message: message)
    }

    public init() {}

    var parserLimits: HTTPParserLimits {
        HTTPParserLimits(
            maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes,
            maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes)
    }

    /// `{"error":{"status":413,"message":"..."}}`.
    public static func defaultErrorResponse(status: Int, message: String) -> HTTPResponse {
        var escaped = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20:
                escaped +=
                    "\\u00" + (scalar.value < 16 ? "0" : "")
                    + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return .json(status, "{\"error\":{\"status\":\(status),\"message\":\"\(escaped)\"}}")
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (scaled, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max / 2 : scaled + UInt64(attoseconds / 1_000_000_000)
    }
}
