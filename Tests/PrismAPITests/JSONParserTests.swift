@testable import PrismAPI
import Testing

struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesNestedValues() throws {
        let value = try parse(#" {"a": [1, -2.5e1, true, false, null], "b": {"c": "d"}} "#)
        let items = try #require(value["a"]?.arrayValue)
        #expect(items.count == 5)
        #expect(items[0].numberValue == 1)
        #expect(items[1].numberValue == -25)
        #expect(items[2].boolValue == true)
        #expect(items[3].boolValue == false)
        if case .null = items[4] {} else { Issue.record("null expected") }
        #expect(value["b"]?["c"]?.stringValue == "d")
    }

    @Test func decodesEscapes() throws {
        let value = try parse(#"["a\"b\\c\/d\n\t", "\u00e9\u20ac", "\ud83d\ude00", "$objectType"]"#)
        #expect(value.stringArray == ["a\"b\\c/d\n\t", "é€", "😀", "$objectType"])
    }

    @Test func keepsRawUTF8() throws {
        #expect(try parse("\"é€😀\"").stringValue == "é€😀")
    }

    /// Each malformed input and the byte offset where the parser must stop (RFC 8259 grammar).
    @Test(arguments: [
        ("[1,]", 3), ("{\"a\" 1}", 5), ("01", 1), ("\"abc", 4), ("[\"a\u{01}\"]", 3), ("\"\\ud800\"", 7),
        ("\"\\x\"", 3), ("tru", 0), ("[1] 2", 4), ("", 0), ("-", 1), ("1.", 2), ("{\"a\":1,}", 7),
    ])
    func rejectsMalformedInput(text: String, offset: Int) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.offset == offset, "\(text.debugDescription): \(error.reason)")
        }
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? parse(fine)) != nil)
    }
}
