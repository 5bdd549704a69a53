/// Serializes responses straight into a connection's output buffer (RFC 9112 §4, §6), so a
/// batch of pipelined responses leaves in one send.
enum ResponseWriter {
    enum ConnectionHeader {
        case none
        case close
        case keepAlive
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Fields the server owns: taking them from the application could desynchronize framing.
    private static let serverFields = ["Content-Length", "Transfer-Encoding", "Connection", "Date"]

    static func write(
        _ response: HTTPResponse, headOnly: Bool, connection: ConnectionHeader, date: inout HTTPDateCache,
        into output: inout [UInt8]
    ) {
        if writeHead(response, headOnly: headOnly, connection: connection, date: &date, into: &output) {
            output.append(contentsOf: response.body)
        }
    }

    /// The status line and fields, up to the empty line; true when `response.body` follows them.
    static func writeHead(
        _ response: HTTPResponse, headOnly: Bool, connection: ConnectionHeader, date: inout HTTPDateCache,
        into output: inout [UInt8]
    ) -> Bool {
        let status = (100...999).contains(response.status) ? response.status : 500
        append("HTTP/1.1 ", to: &output)
        appendDecimal(status, to: &output)
        output.append(HTTPSyntax.space)
        var phrase = reasonPhrase(status)
        phrase.withUTF8 { output.append(contentsOf: $0) }
        append("\r\n", to: &output)
        date.appendHeader(to: &output)
        for field in response.headers where !serverFields.contains(where: { field.name.equalsIgnoringASCIICase($0) }) {
            appendSanitized(field.name, isName: true, to: &output)
            append(": ", to: &output)
            appendSanitized(field.value, isName: false, to: &output)
            append("\r\n", to: &output)
        }
        // RFC 9110 §8.6: no Content-Length in 1xx and 204; a 304 has no body to measure.
        let hasBody = !(status < 200 || status == 204 || status == 304)
        if hasBody {
            append("Content-Length: ", to: &output)
            appendDecimal(contentLength(response, headOnly: headOnly), to: &output)
            append("\r\n", to: &output)
        }
        switch connection {
        case .none: break
        case .close: append("Connection: close\r\n", to: &output)
        case .keepAlive: append("Connection: keep-alive\r\n", to: &output)
        }
        append("\r\n", to: &output)
        return hasBody && !headOnly && !response.body.isEmpty
    }

    /// Literal text by its bytes: appending a `String.UTF8View` goes through the generic
    /// sequence path (retains, index checks) for every piece of every head.
    @inline(__always)
    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A HEAD response announces the length of the body a GET would get (RFC 9110 §9.3.2): the
    /// body the handler returned, or, if it returned none, the length it declared.
    private static func contentLength(_ response: HTTPResponse, headOnly: Bool) -> Int {
        if headOnly && response.body.isEmpty, let declared = response.headers["Content-Length"],
            let length = Int(declared), length >= 0
        {
            return length
        }
        return response.body.count
    }

    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        if value < 10 {
            output.append(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        appendDecimal(value / 10, to: &output)
        output.append(UInt8(truncatingIfNeeded: 48 + value % 10))
    }

    /// Header text from the application never breaks the framing: CR, LF and NUL become spaces
    /// in values (RFC 9110 §5.5), and names keep only token characters.
    private static func appendSanitized(_ text: String, isName: Bool, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var clean = true
            for byte in bytes {
                let bad =
                    isName
                    ? !HTTPSyntax.isTokenChar[Int(byte)] : byte == HTTPSyntax.cr || byte == HTTPSyntax.lf || byte == 0
                if bad {
                    clean = false
                    break
                }
            }
            if clean {
                output.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                if isName {
                    if HTTPSyntax.isTokenChar[Int(byte)] { output.append(byte) }
                } else {
                    output.append(byte == HTTPSyntax.cr || byte == HTTPSyntax.lf || byte == 0 ? HTTPSyntax.space : byte)
                }
            }
        }
    }
}
