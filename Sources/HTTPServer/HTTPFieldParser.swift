/// Grammar of the request line and of header/trailer field lines (RFC 9112 §3, §5).
enum HTTPFieldParser {
    /// request-line = method SP request-target SP HTTP-version (RFC 9112 §3).
    static func requestLine(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>
    ) throws(HTTPParseError) -> (method: String, target: String, version: HTTPVersion) {
        guard let firstSpace = buffer[range].firstIndex(of: HTTPSyntax.space) else {
            throw .badRequest("malformed request line")
        }
        let afterMethod = firstSpace + 1
        guard let secondSpace = buffer[afterMethod..<range.upperBound].firstIndex(of: HTTPSyntax.space) else {
            throw .badRequest("malformed request line")
        }
        let methodRange = range.lowerBound..<firstSpace
        let targetRange = afterMethod..<secondSpace
        let versionRange = (secondSpace + 1)..<range.upperBound
        guard !methodRange.isEmpty, buffer[methodRange].allSatisfy({ HTTPSyntax.isTokenChar[Int($0)] }) else {
            throw .badRequest("malformed method")
        }
        // The target is visible US-ASCII only; a second SP or any CTL makes the line malformed.
        guard !targetRange.isEmpty, buffer[targetRange].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest("malformed request target")
        }
        let version = try self.version(buffer, versionRange)
        return (string(buffer, methodRange), string(buffer, targetRange), version)
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3); only 1.0 and 1.1 are served.
    static func version(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(HTTPParseError) -> HTTPVersion
    {
        let bytes = buffer[range]
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8),
            HTTPSyntax.isDigit(buffer[range.lowerBound + 5]), buffer[range.lowerBound + 6] == UInt8(ascii: "."),
            HTTPSyntax.isDigit(buffer[range.lowerBound + 7])
        else { throw .badRequest("malformed HTTP version") }
        let version = HTTPVersion(
            major: Int(buffer[range.lowerBound + 5] - 48), minor: Int(buffer[range.lowerBound + 7] - 48))
        guard version == .http1_1 || version == .http1_0 else { throw .unsupportedVersion }
        return version
    }

    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5).
    static func fieldLine(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>
    ) throws(HTTPParseError) -> (name: String, value: String) {
        // obs-fold is rejected rather than unfolded (RFC 9112 §5.2).
        if HTTPSyntax.isWhitespace(buffer[range.lowerBound]) { throw .badRequest("obsolete line folding") }
        guard let colon = buffer[range].firstIndex(of: HTTPSyntax.colon), colon > range.lowerBound else {
            throw .badRequest("malformed header field")
        }
        // No whitespace is allowed between field name and colon (RFC 9112 §5.1).
        for byte in buffer[range.lowerBound..<colon] where !HTTPSyntax.isTokenChar[Int(byte)] {
            throw .badRequest(HTTPSyntax.isWhitespace(byte) ? "whitespace before colon" : "malformed field name")
        }
        var start = colon + 1
        var end = range.upperBound
        while start < end && HTTPSyntax.isWhitespace(buffer[start]) { start += 1 }
        while end > start && HTTPSyntax.isWhitespace(buffer[end - 1]) { end -= 1 }
        // CR, LF and NUL are never allowed in a field value (RFC 9110 §5.5).
        for byte in buffer[start..<end] where byte == 0 || byte == HTTPSyntax.cr || byte == HTTPSyntax.lf {
            throw .badRequest("invalid character in field value")
        }
        return (string(buffer, range.lowerBound..<colon), string(buffer, start..<end))
    }

    static func string(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
}
