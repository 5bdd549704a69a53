import Glibc
import OData

/// A pull parser for JSON (RFC 8259) over UTF-8 bytes: the caller walks objects and arrays and
/// reads or skips each value, so no intermediate tree is built.
///
/// The catalog is ~4 MB of JSON read once at start-up. Building a generic tree first (or using
/// Foundation's JSONSerialization) cost more than the 30 ms start-up budget, almost all of it in
/// allocating and freeing ~120,000 nodes; reading straight into the catalog's structs avoids that.
public final class JSONReader {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// An object key, still as bytes: compared against literals without creating a `String`.
    public struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        let decoded: String?  // set only when the key had escapes

        /// The key as written between its quotes (escapes kept).
        public var raw: UnsafeBufferPointer<UInt8> { bytes }

        public static func == (key: Key, literal: StaticString) -> Bool {
            if let decoded = key.decoded { return decoded == literal.description }
            let count = literal.utf8CodeUnitCount
            guard key.bytes.count == count else { return false }
            let start = literal.utf8Start
            for index in 0..<count where key.bytes[index] != start[index] { return false }
            return true
        }

        public var string: String {
            decoded ?? String(decoding: bytes, as: UTF8.self)
        }
    }

    public enum Kind {
        case object, array, string, number, bool, null
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private(set) var depth = 0
    static let maxDepth = 512

    public init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func failure(_ reason: String) -> Failure {
        Failure(offset: index, reason: reason)
    }

    /// After the single top-level value: only whitespace may follow (RFC 8259 section 2).
    public func finish() throws {
        skipWhitespace()
        guard index == bytes.count else { throw failure("trailing characters") }
    }

    func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    public func peek() throws -> Kind {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    /// Calls `member` once per key; `member` must read or skip the value.
    public func readObject(_ member: (Key) throws -> Void) throws {
        skipWhitespace()
        try enter()  // before consuming, so the error points at the bracket that is too deep
        defer { depth -= 1 }
        try expect(UInt8(ascii: "{"), "object expected")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try readKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':'")
            try member(key)
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated object") }
            index += 1
            switch bytes[index - 1] {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default:
                index -= 1
                throw failure("expected ',' or '}'")
            }
        }
    }

    /// Calls `element` once per item; `element` must read or skip the value.
    public func readArray(_ element: () throws -> Void) throws {
        skipWhitespace()
        try enter()  // before consuming, so the error points at the bracket that is too deep
        defer { depth -= 1 }
        try expect(UInt8(ascii: "["), "array expected")
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element()
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated array") }
            index += 1
            switch bytes[index - 1] {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return
            default:
                index -= 1
                throw failure("expected ',' or ']'")
            }
        }
    }

    func readStringArray() throws -> [String] {
        var result: [String] = []
        try readArray { result.append(try readString()) }
        return result
    }

    /// Validates and skips any value (RFC 8259 grammar is still enforced).
    public func skipValue() throws {
        switch try peek() {
        case .object: try readObject { _ in try skipValue() }
        case .array: try readArray { try skipValue() }
        case .string: _ = try readStringBytes()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }

    func expect(_ byte: UInt8, _ reason: String) throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw failure(reason) }
        index += 1
    }

    private func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw failure("nesting deeper than \(Self.maxDepth)") }
    }
}

extension JSONReader {
    /// Skips one object or array by its brackets and strings alone, without checking the rest
    /// of the grammar: for the catalog's `components.schemas` (70% of openapi/), which are
    /// decoded, and so fully checked, when first used (`ModelShelf`). Per byte it is one table
    /// test instead of `skipValue`'s recursive walk.
    func skipContainer() throws {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else {
            throw failure("object expected")
        }
        let start = index
        var depth = 0
        var position = index
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                position = Self.endOfString(bytes, from: position)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > Self.maxDepth {
                    index = position - 1
                    throw failure("nesting deeper than \(Self.maxDepth)")
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    index = position
                    return
                }
            default:
                continue
            }
        }
        index = start
        throw failure("unterminated object")
    }

    /// The position after the quote closing the string whose contents start at `from` (the
    /// buffer's end when there is none). `memchr` finds quote candidates; one preceded by an
    /// odd run of backslashes is escaped.
    private static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        var position = from
        while position < bytes.count {
            guard let found = memchr(base + position, Int32(UInt8(ascii: "\"")), bytes.count - position) else {
                return bytes.count
            }
            let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            var backslashes = 0
            while quote - backslashes - 1 >= from, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            if backslashes % 2 == 0 { return quote + 1 }
            position = quote + 1
        }
        return bytes.count
    }
}

extension JSONReader {
    /// Reads one value and appends it to `out` as compact JSON: whitespace dropped, strings and
    /// numbers copied as written (escapes kept), the grammar checked as when reading.
    public func copyCompact(into out: inout [UInt8]) throws {
        if copyPlain(into: &out) { return }
        switch try peek() {
        case .object:
            out.append(UInt8(ascii: "{"))
            var first = true
            try readObject { key in
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                appendQuoted(key.bytes, to: &out)
                out.append(UInt8(ascii: ":"))
                try copyCompact(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array:
            out.append(UInt8(ascii: "["))
            var first = true
            try readArray {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                try copyCompact(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .string:
            let (raw, _) = try readStringBytes()
            appendQuoted(raw, to: &out)
        case .number, .bool, .null:
            skipWhitespace()
            let start = index
            try skipValue()
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        }
    }

    /// A string's raw bytes (escapes as written) between quotes.
    public func appendQuoted(_ raw: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: raw)
        out.append(UInt8(ascii: "\""))
    }
}
