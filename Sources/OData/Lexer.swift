/// Splits an expression into tokens over its UTF-8 bytes, on demand (one token at a time).
///
/// Literal ambiguities are resolved by trying the longest specific shape first, as odata.md §1.3
/// asks: GUID (8-4-4-4-12 hex) before numbers and identifiers, dates before integers, typed
/// literals (`Ns.Type'…'`) before plain identifiers.
struct Lexer: Sendable {
    let bytes: [UInt8]
    let option: String
    private(set) var position = 0

    init(_ text: String, option: String) {
        self.bytes = Array(text.utf8)
        self.option = option
    }

    func text(_ token: Token) -> String {
        token.kind == .end ? "end of input" : String(decoding: bytes[token.start..<token.end], as: UTF8.self)
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    func byte(at index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    func error(_ message: String, at offset: Int, end: Int? = nil, kind: ODataError.Kind = .syntax) -> ODataError {
        let stop = min(end ?? Lexer.tokenEnd(bytes, from: offset), bytes.count)
        let token = offset >= bytes.count ? "end of input" : text(offset, max(stop, offset + 1))
        return ODataError(kind, option: option, offset: offset, token: token, message: message)
    }

    /// A guess at where a bad token ends, for error messages only.
    static func tokenEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, isIdentifierByte(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            index += 1
        }
        return max(index, start + 1)
    }

    mutating func skipWhitespace() {
        // RWS/BWS = SP / HTAB (ABNF L1163); the caller has already form-decoded %20.
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 {
            position += 1
        }
    }

    mutating func next() throws(ODataError) -> Token {
        skipWhitespace()
        let start = position
        guard start < bytes.count else { return Token(kind: .end, start: start, end: start) }
        let lead = bytes[start]
        if let single = Lexer.punctuation(lead) {
            position += 1
            return Token(kind: single, start: start, end: position)
        }
        if lead == UInt8(ascii: "'") {
            position = try scanString(from: start)
            return Token(kind: .string, start: start, end: position)
        }
        if let end = matchGUID(at: start) {
            position = end
            return Token(kind: .guid, start: start, end: end)
        }
        if isDigit(lead) {
            return try scanNumberOrTemporal(from: start)
        }
        if lead == UInt8(ascii: "-") || lead == UInt8(ascii: "+") {
            if let next = byte(at: start + 1), isDigit(next) {
                return try scanNumber(from: start, signed: true)
            }
            if lead == UInt8(ascii: "-") {
                position += 1
                return Token(kind: .minus, start: start, end: position)
            }
            throw error("unexpected character", at: start)
        }
        if Lexer.isIdentifierStart(lead) || lead == UInt8(ascii: "$") {
            return try scanIdentifier(from: start)
        }
        throw error("unexpected character", at: start)
    }

    private static func punctuation(_ byte: UInt8) -> Token.Kind? {
        switch byte {
        case UInt8(ascii: "("): .openParen
        case UInt8(ascii: ")"): .closeParen
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: "/"): .slash
        case UInt8(ascii: ":"): .colon
        case UInt8(ascii: "*"): .star
        case UInt8(ascii: ";"): .semicolon
        default: nil
        }
    }

    /// Returns the index after the closing quote; `''` inside is an escaped quote (ABNF L984).
    private func scanString(from start: Int) throws(ODataError) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "'") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        throw error("unterminated string literal", at: start, end: bytes.count)
    }

    private mutating func scanIdentifier(from start: Int) throws(ODataError) -> Token {
        var index = start + 1
        while index < bytes.count, Lexer.isIdentifierByte(bytes[index]) { index += 1 }
        // A dotted chain is a qualified name (function `geo.x`, type `Edm.String`, enum `Ns.Type`).
        while index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), Lexer.isIdentifierStart(bytes[index + 1]) {
            index += 2
            while index < bytes.count, Lexer.isIdentifierByte(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "'"), bytes[start] != UInt8(ascii: "$") {
            let end = try scanString(from: index)
            position = end
            return Token(kind: .typedLiteral, start: start, end: end, quote: index)
        }
        position = index
        return Token(kind: .identifier, start: start, end: index)
    }

    private mutating func scanNumberOrTemporal(from start: Int) throws(ODataError) -> Token {
        if let end = matchDate(at: start) {
            if let timeStart = byte(at: end), timeStart == UInt8(ascii: "T") || timeStart == UInt8(ascii: "t") {
                guard let timeEnd = matchTime(at: end + 1), let zoneEnd = matchZone(at: timeEnd) else {
                    throw error("malformed dateTimeOffset literal", at: start)
                }
                return try finish(.dateTimeOffset, start, zoneEnd)
            }
            return try finish(.date, start, end)
        }
        if let end = matchTime(at: start) {
            return try finish(.timeOfDay, start, end)
        }
        return try scanNumber(from: start, signed: false)
    }

    private mutating func scanNumber(from start: Int, signed: Bool) throws(ODataError) -> Token {
        var index = signed ? start + 1 : start
        var kind = Token.Kind.integer
        index = skipDigits(index)
        if byte(at: index) == UInt8(ascii: "."), let next = byte(at: index + 1), isDigit(next) {
            kind = .decimal
            index = skipDigits(index + 1)
        }
        if let e = byte(at: index), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var exponent = index + 1
            if let sign = byte(at: exponent), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent += 1 }
            if let digit = byte(at: exponent), isDigit(digit) {
                kind = .decimal
                index = skipDigits(exponent)
            }
        }
        return try finish(kind, start, index)
    }

    /// A literal must not run straight into an identifier (`12abc`, `2020-01-01x`).
    private mutating func finish(_ kind: Token.Kind, _ start: Int, _ end: Int) throws(ODataError) -> Token {
        if let next = byte(at: end), Lexer.isIdentifierByte(next) || next == UInt8(ascii: ".") {
            throw error("malformed literal", at: start)
        }
        position = end
        return Token(kind: kind, start: start, end: end)
    }

    private func skipDigits(_ from: Int) -> Int {
        var index = from
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index
    }

    private func digits(_ at: Int, _ count: Int) -> Bool {
        guard at + count <= bytes.count else { return false }
        for index in at..<(at + count) where !isDigit(bytes[index]) { return false }
        return true
    }

    /// `year "-" month "-" day` (ABNF L987), 4-digit years only.
    private func matchDate(at start: Int) -> Int? {
        guard digits(start, 4), byte(at: start + 4) == UInt8(ascii: "-"), digits(start + 5, 2),
            byte(at: start + 7) == UInt8(ascii: "-"), digits(start + 8, 2)
        else { return nil }
        return start + 10
    }

    /// `hour ":" minute [":" second ["." fractionalSeconds]]` (ABNF L999).
    private func matchTime(at start: Int) -> Int? {
        guard digits(start, 2), byte(at: start + 2) == UInt8(ascii: ":"), digits(start + 3, 2) else { return nil }
        var index = start + 5
        if byte(at: index) == UInt8(ascii: ":"), digits(index + 1, 2) {
            index += 3
            if byte(at: index) == UInt8(ascii: "."), let next = byte(at: index + 1), isDigit(next) {
                index = skipDigits(index + 1)
            }
        }
        return index
    }

    /// `"Z" / SIGN hour ":" minute` (ABNF L990).
    private func matchZone(at index: Int) -> Int? {
        guard let byte = self.byte(at: index) else { return nil }
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") { return index + 1 }
        if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"), digits(index + 1, 2),
            self.byte(at: index + 3) == UInt8(ascii: ":"), digits(index + 4, 2)
        {
            return index + 6
        }
        return nil
    }

    /// `8HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 4HEXDIG "-" 12HEXDIG` (ABNF L970).
    func matchGUID(at start: Int) -> Int? {
        var index = start
        for (position, count) in [8, 4, 4, 4, 12].enumerated() {
            if position > 0 {
                guard byte(at: index) == UInt8(ascii: "-") else { return nil }
                index += 1
            }
            for _ in 0..<count {
                guard let hex = self.byte(at: index), isHex(hex) else { return nil }
                index += 1
            }
        }
        if let next = self.byte(at: index), Lexer.isIdentifierByte(next) || next == UInt8(ascii: "-") { return nil }
        return index
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= 0x30 && byte <= 0x39)
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

@inline(__always) func isHex(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
}
