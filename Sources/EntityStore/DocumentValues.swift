/// The declared values of one document read in Swift, without SQLite's JSON functions (which parse the
/// text into a node array per statement, and the array's text again per `json_each`: most of a seeded row's
/// cost).
///
/// It gives what the SQL of `ValueIndex.Kind` gives, or nothing: it reads only strict JSON and declines
/// (returns nil) whatever it cannot answer the way SQLite 3.40's `json_extract`/`json_each` would without
/// doubt — a string with escapes, a real number, an integer of more than 18 digits, an object or array where
/// a value is wanted, whitespace other than JSON's, deep nesting, anything malformed. The caller then runs the
/// SQL, which answers (or fails) as before. Keys are compared as raw bytes, as SQLite compares them, and the
/// first of duplicate keys counts, as in SQLite's lookup.
struct DocumentValues {
    /// Each declared path's keys, as `ValueIndex.Kind` lists them: the scalars, then the arrays.
    let scalars: [SQLValue]
    /// Per array: its elements' value spans, or nil when the path holds no array (no rows).
    let arrays: [[Span]?]

    /// A value's bytes in the document (the opening byte to one past the closing one).
    struct Span {
        var start: Int
        var end: Int
    }

    /// `paths` are key lists (`["cluster", "extId"]`); the first `scalarCount` are scalars, the rest arrays.
    init?(document: UnsafeBufferPointer<UInt8>, paths: [[String]], scalarCount: Int) {
        var scanner = JSONScanner(bytes: document)
        guard let spans = scanner.document(paths) else { return nil }
        var scalars: [SQLValue] = []
        scalars.reserveCapacity(scalarCount)
        for span in spans.prefix(scalarCount) {
            guard let value = span.map({ scanner.value($0) }) ?? .some(.null) else { return nil }
            scalars.append(value)
        }
        var arrays: [[Span]?] = []
        for span in spans.dropFirst(scalarCount) {
            guard let span, document[span.start] == UInt8(ascii: "[") else {
                arrays.append(nil)
                continue
            }
            guard let elements = scanner.elements(of: span) else { return nil }
            arrays.append(elements)
        }
        self.scalars = scalars
        self.arrays = arrays
        self.bytes = document
    }

    private let bytes: UnsafeBufferPointer<UInt8>

    /// The value of `member` (keys; empty for the element itself) in `element`, as the element rows' SQL reads
    /// it: NULL for a non-object element when a member is asked; nil to decline.
    func member(_ member: [String], of element: Span) -> SQLValue? {
        var scanner = JSONScanner(bytes: bytes)
        if member.isEmpty { return scanner.value(element) }
        guard bytes[element.start] == UInt8(ascii: "{") else { return .null }
        scanner.position = element.start
        guard let spans = scanner.lookup([member[...]]) else { return nil }
        return spans[0].map { scanner.value($0) } ?? .null
    }
}

/// A strict JSON reader over bytes that finds value spans along key paths and skips everything else.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    private var depth = 0
    /// Far below SQLite's own limit (2000): deeper documents are left to SQLite.
    private static let maxDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The spans at `paths` in a whole document (which must be an object), or nil to decline.
    mutating func document(_ paths: [[String]]) -> [DocumentValues.Span?]? {
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        guard let spans = lookup(paths.map { $0[...] }) else { return nil }
        skipSpace()
        return position == bytes.count ? spans : nil
    }

    /// Reads the object at `position` (past it afterwards), returning the span at each path (nil: missing or
    /// through a non-object). Returns nil to decline.
    mutating func lookup(_ paths: [ArraySlice<String>]) -> [DocumentValues.Span?]? {
        var found = [DocumentValues.Span?](repeating: nil, count: paths.count)
        var done = [Bool](repeating: false, count: paths.count)
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth, next() == UInt8(ascii: "{") else { return nil }
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return found
        }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard next() == UInt8(ascii: ":") else { return nil }
            skipSpace()
            // The paths this key leads on: the first occurrence of a key is the one SQLite finds.
            var wanted: [Int] = []
            for (index, path) in paths.enumerated() where !done[index] && matches(key, path.first ?? "") {
                wanted.append(index)
            }
            if wanted.isEmpty {
                guard skipValue() else { return nil }
            } else {
                let start = position
                let deeper = wanted.filter { paths[$0].count > 1 }
                if !deeper.isEmpty, peek() == UInt8(ascii: "{") {
                    guard let inner = lookup(deeper.map { paths[$0].dropFirst() }) else { return nil }
                    for (slot, index) in deeper.enumerated() { found[index] = inner[slot] }
                } else {
                    guard skipValue() else { return nil }
                }
                for index in wanted where paths[index].count == 1 {
                    found[index] = DocumentValues.Span(start: start, end: position)
                }
                for index in wanted { done[index] = true }
            }
            skipSpace()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return found
            default: return nil
            }
        }
    }

    /// The elements of the array at `span`, or nil to decline.
    mutating func elements(of span: DocumentValues.Span) -> [DocumentValues.Span]? {
        position = span.start + 1
        var elements: [DocumentValues.Span] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") { return elements }
        while true {
            skipSpace()
            let start = position
            guard skipValue() else { return nil }
            elements.append(DocumentValues.Span(start: start, end: position))
            skipSpace()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return elements
            default: return nil
            }
        }
    }

    /// The SQL value `json_extract` gives for the (already checked) value at `span`, or nil to decline.
    func value(_ span: DocumentValues.Span) -> SQLValue? {
        let first = bytes[span.start]
        switch first {
        case UInt8(ascii: "\""):
            let content = UnsafeBufferPointer(rebasing: bytes[(span.start + 1)..<(span.end - 1)])
            if content.contains(UInt8(ascii: "\\")) { return nil }
            return .text(String(decoding: content, as: UTF8.self))
        case UInt8(ascii: "t"): return .integer(1)
        case UInt8(ascii: "f"): return .integer(0)
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let negative = first == UInt8(ascii: "-")
            let digits = bytes[(negative ? span.start + 1 : span.start)..<span.end]
            guard digits.count <= 18 else { return nil }
            var number: Int64 = 0
            for digit in digits {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }  // a real
                number = number * 10 + Int64(digit - UInt8(ascii: "0"))
            }
            return .integer(negative ? -number : number)
        default: return nil  // an object or array
        }
    }

    private func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { $0.elementsEqual(key) }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func next() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0a, 0x0d, 0x09: position += 1
            default: return
            }
        }
    }

    /// The raw bytes between the quotes of the string at `position` (past it afterwards); nil if malformed.
    private mutating func string() -> UnsafeBufferPointer<UInt8>? {
        position += 1
        let start = position
        skipPlainText()
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                defer { position += 1 }
                return UnsafeBufferPointer(rebasing: bytes[start..<position])
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                guard position + 1 < bytes.count else { return nil }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 5 < bytes.count,
                        bytes[(position + 2)...(position + 5)].allSatisfy({ Self.isHex($0) })
                    else { return nil }
                    position += 6
                default: return nil
                }
                continue
            }
            position += 1
        }
        return nil
    }

    /// Past the bytes of string content that need no look (not a quote, backslash or control byte), eight at a
    /// time: documents are mostly string text, and a byte-wise loop was most of the reading.
    private mutating func skipPlainText() {
        guard let base = bytes.baseAddress else { return }
        var index = position
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            // A zero byte in `x` shows as its high bit in `(x - ones) & ~x`; bytes below 0x20 likewise in
            // `(word - 0x20…) & ~word`. Exact as to whether any byte qualifies, which is all that is asked.
            let found =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if found & highs != 0 { break }
            index += 8
        }
        position = index
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    /// Past one value; false if malformed (or nested deeper than this reader goes).
    private mutating func skipValue() -> Bool {
        guard let first = peek() else { return false }
        switch first {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { return false }
            position += 1
            skipSpace()
            if peek() == close {
                position += 1
                return true
            }
            while true {
                skipSpace()
                if close == UInt8(ascii: "}") {
                    guard peek() == UInt8(ascii: "\""), string() != nil else { return false }
                    skipSpace()
                    guard next() == UInt8(ascii: ":") else { return false }
                    skipSpace()
                }
                guard skipValue() else { return false }
                skipSpace()
                switch next() {
                case UInt8(ascii: ","): continue
                case close: return true
                default: return false
                }
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let text = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard bytes[position..<(position + count)].elementsEqual(text) else { return false }
        position += count
        return true
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() -> Bool {
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), Self.isDigit(first) else { return false }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let digit = peek(), Self.isDigit(digit) else { return false }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { return false }
            skipDigits()
        }
        // A number runs into a letter or digit ("01", "1x") only in malformed text.
        if let after = peek(), Self.isDigit(after) || (after | 0x20 >= UInt8(ascii: "a") && after | 0x20 <= UInt8(ascii: "z")) {
            return false
        }
        return true
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
