@testable import PrismAPI
import Testing

struct JSONReaderTests {
    /// Reads `text` with `body`, then requires the end of input.
    private func read<T>(_ text: String, _ body: (JSONReader) throws -> T) throws -> T {
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            let reader = JSONReader(bytes: buffer)
            let value = try body(reader)
            try reader.finish()
            return value
        }
    }

    /// The offset where reading fails, or nil when it succeeds.
    private func failureOffset(_ text: String) -> Int? {
        do {
            try read(text) { try $0.skipValue() }
            return nil
        } catch let failure as JSONReader.Failure {
            return failure.offset
        } catch {
            return -1
        }
    }

    @Test func walksObjectsAndArrays() throws {
        var seen: [String] = []
        var numbers: [Double] = []
        try read(#" {"a": [1, -2.5e1, 0.5], "b": {"c": "d"}, "e": true, "f": null} "#) { reader in
            try reader.readObject { key in
                seen.append(key.string)
                if key == "a" {
                    try reader.readArray { numbers.append(try reader.readNumber()) }
                } else if key == "e" {
                    #expect(try reader.readBool())
                } else {
                    try reader.skipValue()
                }
            }
        }
        #expect(seen == ["a", "b", "e", "f"])
        #expect(numbers == [1, -25, 0.5])
    }

    @Test func decodesEscapes() throws {
        let text = #"["a\"b\\c\/d\n\t", "\u00e9\u20ac", "\ud83d\ude00", "é€😀"]"#
        let strings = try read(text) { try $0.readStringArray() }
        #expect(strings == ["a\"b\\c/d\n\t", "é€", "😀", "é€😀"])
    }

    @Test func keysWithEscapesCompareDecoded() throws {
        var matched = false
        try read(#"{"\u0024ref": 1}"#) { reader in
            try reader.readObject { key in
                matched = key == "$ref"
                try reader.skipValue()
            }
        }
        #expect(matched)
    }

    @Test func dropsAKnownPrefix() throws {
        let names = try read(##"["#/components/schemas/vmm.v4.ahv.config.Vm", "other"]"##) { reader in
            var result: [String] = []
            try reader.readArray { result.append(try reader.readString(droppingPrefix: "#/components/schemas/")) }
            return result
        }
        #expect(names == ["vmm.v4.ahv.config.Vm", "other"])
    }

    /// Each malformed input and the byte offset where reading must stop (RFC 8259 grammar).
    @Test(arguments: [
        ("[1,]", 3), ("{\"a\" 1}", 5), ("01", 1), ("\"abc", 4), ("[\"a\u{01}\"]", 3), ("\"\\ud800\"", 7),
        ("\"\\x\"", 2), ("tru", 0), ("[1] 2", 4), ("", 0), ("-", 1), ("1.", 2), ("{\"a\":1,}", 7), ("[1 2]", 3),
    ])
    func rejectsMalformedInput(text: String, offset: Int) {
        #expect(failureOffset(text) == offset, "\(text.debugDescription)")
    }

    @Test func acceptsWellFormedInput() {
        #expect(failureOffset(#"{"a":[{},[],"",0,-0.0,1E+2,true,false,null]}"#) == nil)
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(failureOffset(deep) == JSONReader.maxDepth)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(failureOffset(fine) == nil)
    }

    /// `skipContainer` matches brackets outside strings only, and knows escaped quotes
    /// (including a backslash that is itself escaped just before a closing quote).
    @Test(arguments: [
        #"{"a": "}", "b": ["]", "{"]}"#,
        #"{"a": "say \"}\" twice"}"#,
        #"{"a": "ends in a backslash \\", "b": [1, {"c": []}]}"#,
        #"[[], {}, "\\\"]"]"#,
    ])
    func skipContainerFindsTheClosingBracket(text: String) throws {
        let end = try read(text + " ") { reader in
            try reader.skipContainer()
            return reader.index
        }
        #expect(end == text.utf8.count)
    }

    @Test(arguments: [
        (#"{"a": "}"#, "unterminated object"),
        (#"{"a": [1, 2}"#, "unterminated object"),
        (#""text""#, "object expected"),
    ])
    func skipContainerRejectsWhatItCannotClose(text: String, reason: String) {
        #expect(throws: JSONReader.Failure(offset: 0, reason: reason)) {
            try read(text) { try $0.skipContainer() }
        }
    }

    /// The text without the whitespace outside strings: what `copyCompact` must write, worked out
    /// apart from the reader.
    private static func stripped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                out.append(byte)
            } else if ![0x20, 0x0A, 0x0D, 0x09].contains(byte) {
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte)
            }
        }
        return out
    }

    /// Compact copies keep every token as written (escapes, number spellings), after whatever the
    /// output held before; plain text, escapes and deep nesting (read by the walk) alike.
    @Test(arguments: [
        "{\n  \"a\": [ 1, -2.5e1 , 0.5E-3, 0 ],\n  \"b\" : { \"c\" : \"d e\" },\t\"e\": true, \"f\": null, \"g\": false\r\n}",
        #"{"long":"a string of more than eight bytes, ü and ✓ too","x":{"y":[[],{},[{}]]}}"#,
        #"{"esc": "a \"quoted\" \\ \u00e9 \ud83d\ude00 \/", "n": [1, 2]}"#,
        #"  "just a string"  "#, " 12.5e+3 ", "[ ]", "{ }", " true ",
        String(repeating: "[ ", count: 100) + "1" + String(repeating: " ]", count: 100),
    ])
    func copyCompactDropsOnlyWhitespace(text: String) throws {
        let copied = try read(text) { reader in
            var out: [UInt8] = [UInt8(ascii: "<")]
            try reader.copyCompact(into: &out)
            return out
        }
        #expect(copied == [UInt8(ascii: "<")] + Self.stripped(text))
    }

    /// Malformed text fails where the reader's own walk fails.
    @Test(arguments: [
        "[1,]", "{\"a\" 1}", "01", "\"abc", "[\"a\u{01}\"]", "\"\\ud800\"", "\"\\x\"", "tru", "", "-", "1.",
        "{\"a\":1,}", "[1 2]", "[1x]", "{\"a\":[1,{\"b\":nul}]}", "{\"a\":\"ok\",\"b\":\"\\q\"}",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ])
    func copyCompactFailsWhereTheWalkFails(text: String) {
        var out: [UInt8] = []
        var copyOffset: Int?
        do {
            try read(text) { try $0.copyCompact(into: &out) }
        } catch let failure as JSONReader.Failure {
            copyOffset = failure.offset
        } catch {}
        #expect(copyOffset != nil)
        #expect(copyOffset == failureOffset(text), "\(text.debugDescription)")
    }

    /// The fast copy takes plain text and leaves the rest (escapes, malformed text) to the walk,
    /// with the output and the position as they were.
    @Test func plainCopyTakesPlainTextOnly() throws {
        for (text, taken) in [
            (#"{ "a" : [1, "ü", {}] }"#, true), (#"{"a":"\n"}"#, false), (#"{"a":1,}"#, false), (#"{"a":1"#, false),
        ] {
            let (copied, out, index) = Array(text.utf8).withUnsafeBufferPointer { buffer in
                let reader = JSONReader(bytes: buffer)
                var out: [UInt8] = [7]
                let copied = reader.copyPlain(into: &out)
                return (copied, out, reader.index)
            }
            #expect(copied == taken, "\(text)")
            #expect(out == (taken ? [7] + Self.stripped(text) : [7]), "\(text)")
            #expect(index == (taken ? text.utf8.count : 0), "\(text)")
        }
    }

    /// Strings are searched eight bytes at a time: the closing quote, an escape or a control byte
    /// is found wherever it falls in a word.
    @Test(arguments: 0..<20)
    func copyCompactFindsStringEndsAtEveryOffset(offset: Int) throws {
        let text = String(repeating: "é", count: offset % 3) + String(repeating: "x", count: offset)
        for json in [#"{ "a" : "\#(text)", "b" : [ "\#(text)" ] }"#, #"{ "a" : "\#(text)\"q", "b" : 1 }"#] {
            let copied = try read(json) { reader in
                var out: [UInt8] = []
                try reader.copyCompact(into: &out)
                return out
            }
            #expect(copied == Self.stripped(json))
        }
        #expect(failureOffset("[\"\(text)\u{1F}\"]") != nil)
    }
}
