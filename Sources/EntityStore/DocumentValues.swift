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
        guard let base = bytes.baseAddress else { return nil }
        let start = position + 1
        var index = position
        guard Self.skipString(base, bytes.count, &index) else { return nil }
        position = index
        return UnsafeBufferPointer(start: base + start, count: index - 1 - start)
    }

    /// Past one value; false if malformed (or nested deeper than this reader goes).
    private mutating func skipValue() -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var index = position
        guard Self.skipValue(base, bytes.count, &index, depth: depth) else { return false }
        position = index
        return true
    }

    // The skipping itself works on a pointer and a local index: it passes over nearly every byte of a
    // document, and a scanner's stored position written back at every byte was most of its cost.

    /// Past the string whose opening quote is at `index`.
    @inline(__always)
    private static func skipString(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int) -> Bool {
        var i = index + 1
        while true {
            skipPlainText(base, end, &i)
            guard i < end else { return false }
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                index = i + 1
                return true
            }
            if byte < 0x20 { return false }
            if byte == UInt8(ascii: "\\") {
                guard i + 1 < end else { return false }
                switch base[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 5 < end, isHex(base[i + 2]), isHex(base[i + 3]), isHex(base[i + 4]), isHex(base[i + 5])
                    else { return false }
                    i += 6
                default: return false
                }
                continue
            }
            i += 1
        }
    }

    /// Past the bytes of string content that need no look (not a quote, backslash or control byte), eight at a
    /// time, then one at a time up to the first that does.
    @inline(__always)
    private static func skipPlainText(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = index
        while i + 8 <= end {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            // A zero byte in `x` shows as its high bit in `(x - ones) & ~x`; bytes below 0x20 likewise in
            // `(word - 0x20…) & ~word`. Exact as to whether any byte qualifies, which is all that is asked.
            let found =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if found & highs != 0 {
                // The lowest flag is exact (a borrow can only flag bytes after a true one); the load is
                // little-endian, so it marks the first such byte.
                #if _endian(little)
                    index = i + (found & highs).trailingZeroBitCount >> 3
                    return
                #else
                    break
                #endif
            }
            i += 8
        }
        while i < end {
            let byte = base[i]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            i += 1
        }
        index = i
    }

    @inline(__always)
    private static func skipSpace(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int) {
        while index < end {
            switch base[index] {
            case 0x20, 0x0a, 0x0d, 0x09: index += 1
            default: return
            }
        }
    }

    /// Past one value at `index` (after any whitespace), without recursion: a bit per open container says
    /// whether it is an object.
    private static func skipValue(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int, depth outer: Int) -> Bool {
        var i = index
        var objects: UInt64 = 0
        var depth = 0
        let room = maxDepth - outer
        while true {
            // A value.
            skipSpace(base, end, &i)
            guard i < end else { return false }
            switch base[i] {
            case UInt8(ascii: "\""):
                guard skipString(base, end, &i) else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let object = base[i] == UInt8(ascii: "{")
                depth += 1
                guard depth <= room else { return false }
                objects = objects << 1 | (object ? 1 : 0)
                i += 1
                skipSpace(base, end, &i)
                guard i < end else { return false }
                if base[i] == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    depth -= 1
                    objects >>= 1
                } else {
                    if object { guard member(base, end, &i) else { return false } }
                    continue
                }
            case UInt8(ascii: "t"): guard literal(base, end, &i, "true") else { return false }
            case UInt8(ascii: "f"): guard literal(base, end, &i, "false") else { return false }
            case UInt8(ascii: "n"): guard literal(base, end, &i, "null") else { return false }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard number(base, end, &i) else { return false }
            default: return false
            }
            // After a value: the next member or element, or the end of containers.
            while true {
                if depth == 0 {
                    index = i
                    return true
                }
                skipSpace(base, end, &i)
                guard i < end else { return false }
                let byte = base[i]
                i += 1
                let object = objects & 1 == 1
                if byte == UInt8(ascii: ",") {
                    if object { guard member(base, end, &i) else { return false } }
                    break
                }
                guard byte == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return false }
                depth -= 1
                objects >>= 1
            }
        }
    }

    /// Past a member's key and colon.
    @inline(__always)
    private static func member(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int) -> Bool {
        skipSpace(base, end, &index)
        guard index < end, base[index] == UInt8(ascii: "\""), skipString(base, end, &index) else { return false }
        skipSpace(base, end, &index)
        guard index < end, base[index] == UInt8(ascii: ":") else { return false }
        index += 1
        return true
    }

    private static func literal(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int, _ word: StaticString)
        -> Bool
    {
        let count = word.utf8CodeUnitCount
        guard index + count <= end else { return false }
        for offset in 0..<count where base[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func number(_ base: UnsafePointer<UInt8>, _ end: Int, _ index: inout Int) -> Bool {
        var i = index
        func at(_ position: Int) -> UInt8 { position < end ? base[position] : 0 }
        func digits() { while isDigit(at(i)) { i += 1 } }
        if at(i) == UInt8(ascii: "-") { i += 1 }
        let first = at(i)
        guard isDigit(first) else { return false }
        i += 1
        if first != UInt8(ascii: "0") { digits() }
        if at(i) == UInt8(ascii: ".") {
            i += 1
            guard isDigit(at(i)) else { return false }
            digits()
        }
        if at(i) | 0x20 == UInt8(ascii: "e") {
            i += 1
            if at(i) == UInt8(ascii: "+") || at(i) == UInt8(ascii: "-") { i += 1 }
            guard isDigit(at(i)) else { return false }
            digits()
        }
        // A number runs into a letter or digit ("01", "1x") only in malformed text.
        let after = at(i)
        if isDigit(after) || (after | 0x20 >= UInt8(ascii: "a") && after | 0x20 <= UInt8(ascii: "z")) { return false }
        index = i
        return true
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
