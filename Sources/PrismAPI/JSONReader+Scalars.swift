/// Strings, numbers and literals: RFC 8259 sections 3, 6 and 7.
extension JSONReader {
    public func readString() throws -> String {
        let (raw, decoded) = try readStringBytes()
        return decoded ?? String(decoding: raw, as: UTF8.self)
    }

    /// A string that starts with `prefix`, returned without it (`#/components/schemas/` refs).
    func readString(droppingPrefix prefix: StaticString) throws -> String {
        let (raw, decoded) = try readStringBytes()
        let count = prefix.utf8CodeUnitCount
        if decoded == nil, raw.count >= count, memcmpEqual(raw, prefix) {
            return String(decoding: UnsafeBufferPointer(rebasing: raw[count...]), as: UTF8.self)
        }
        let text = decoded ?? String(decoding: raw, as: UTF8.self)
        let literal = prefix.description
        return text.hasPrefix(literal) ? String(text.dropFirst(literal.count)) : text
    }

    private func memcmpEqual(_ raw: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let start = prefix.utf8Start
        for offset in 0..<prefix.utf8CodeUnitCount where raw[offset] != start[offset] { return false }
        return true
    }

    func readKey() throws -> Key {
        let (raw, decoded) = try readStringBytes()
        return Key(bytes: raw, decoded: decoded)
    }

    /// The string's raw bytes between the quotes, plus its decoded form when it had escapes.
    public func readStringBytes() throws -> (UnsafeBufferPointer<UInt8>, String?) {
        try expect(UInt8(ascii: "\""), "string expected")
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), nil)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in string") }
            index += 1
        }
        var output = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index - 1])
                return (raw, String(decoding: output, as: UTF8.self))
            case UInt8(ascii: "\\"):
                index += 1
                try appendEscape(to: &output)
            case ..<0x20:
                throw failure("control character in string")
            default:
                output.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    private func appendEscape(to output: inout [UInt8]) throws {
        guard index < bytes.count else { throw failure("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"): output.append(contentsOf: try unicodeEscape())
        default:
            index -= 1
            throw failure("invalid escape")
        }
    }

    /// `\uXXXX`, joining a UTF-16 surrogate pair (RFC 8259 section 7).
    private func unicodeEscape() throws -> [UInt8] {
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("lone surrogate") }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(code) {
            throw failure("lone surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("invalid code point") }
        return Array(String(Character(scalar)).utf8)
    }

    private func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    func readNumber() throws -> Double {
        skipWhitespace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid value") }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            index += 1
            throw failure("leading zero")
        }
        skipDigits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("digit expected after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("digit expected in exponent") }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw failure("unrepresentable number") }
        return value
    }

    func readBool() throws -> Bool {
        skipWhitespace()
        if try matchLiteral("true") { return true }
        if try matchLiteral("false") { return false }
        throw failure("boolean expected")
    }

    func readNull() throws {
        skipWhitespace()
        guard try matchLiteral("null") else { throw failure("null expected") }
    }

    private func matchLiteral(_ literal: StaticString) throws -> Bool {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        index += count
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
}
