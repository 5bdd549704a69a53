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
        output.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &output)
        output.append(HTTPSyntax.space)
        output.append(contentsOf: reasonPhrase(status).utf8)
        output.append(contentsOf: "\r\n".utf8)
        date.appendHeader(to: &output)
        for field in response.headers where !serverFields.contains(where: { field.name.equalsIgnoringASCIICase($0) }) {
            appendSanitized(field.name, isName: true, to: &output)
            output.append(contentsOf: ": ".utf8)
            appendSanitized(field.value, isName: false, to: &output)
            output.append(contentsOf: "\r\n".utf8)
        }
        // RFC 9110 §8.6: no Content-Length in 1xx and 204; a 304 has no body to measure.
        let hasBody = !(status < 200 || status == 204 || status == 304)
        if hasBody {
            output.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(contentLength(response, headOnly: headOnly), to: &output)
            output.append(contentsOf: "\r\n".utf8)
        }
        switch connection {
        case .none: break
        case .close: output.append(contentsOf: "Connection: close\r\n".utf8)
        case .keepAlive: output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        output.append(contentsOf: "\r\n".utf8)
        return hasBody && !headOnly && !response.body.isEmpty
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
        let bytes = text.utf8
        let clean =
            isName
            ? bytes.allSatisfy { HTTPSyntax.isTokenChar[Int($0)] }
            : !bytes.contains { $0 == HTTPSyntax.cr || $0 == HTTPSyntax.lf || $0 == 0 }
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
