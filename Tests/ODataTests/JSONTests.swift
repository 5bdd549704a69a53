import Testing
@testable import OData

struct JSONTests {
    @Test func parsesAndKeepsMemberOrder() throws {
        let v = try JSON.parse(#"{"z":1,"a":[true,false,null],"m":{"k":"v"},"d":-1.5e2}"#)
        let o = try #require(v.objectValue)
        #expect(o.keys == ["z", "a", "m", "d"])
        #expect(v["z"] == .int(1))
        #expect(v["a"] == .array([.bool(true), .bool(false), .null]))
        #expect(v.value(atPath: "m/k") == .string("v"))
        #expect(v["d"] == .double(-150))
    }

    @Test func roundTripsThroughCompactText() throws {
        let text = #"{"name":"vm \"a\"\\\n\u0001","n":9223372036854775807,"x":0.25,"e":[],"o":{}}"#
        let v = try JSON.parse(text)
        #expect(v["name"] == .string("vm \"a\"\\\n\u{01}"))
        #expect(try JSON.parse(v.text) == v)
        #expect(v.text == text)
    }

    @Test func decodesUnicodeEscapesIncludingSurrogatePairs() throws {
        #expect(try JSON.parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
    }

    @Test(arguments: [
        "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", "-", "tru", "nul", #""\x""#, "\"a\u{01}\"",
        #""\ud800""#, #""\udc00x""#, "[1] 2", "1e999", #"{"a" 1}"#, "{'a':1}", "[\"\u{7f}\"", "\u{feff}{}",
    ])
    func rejectsMalformedInput(text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func boundsNestingDepth() throws {
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSON.parse(ok) }
        let deep = String(repeating: "[", count: 100_000)
        let error = try #require(throws: JSONParseError.self) { try JSON.parse(deep) }
        #expect(error.reason.contains("nesting"))
    }

    @Test func reportsTheOffsetOfTheError() throws {
        let error = try #require(throws: JSONParseError.self) { try JSON.parse(#"{"a": tru}"#) }
        #expect(error.offset == 6)
    }

    @Test func objectSubscriptSetsInPlaceAndRemoves() {
        var o = JSONObject([("a", .int(1)), ("b", .int(2))])
        o["a"] = .int(3)
        o["c"] = .null
        o["b"] = nil
        #expect(o.keys == ["a", "c"])
        #expect(o["a"] == .int(3))
    }
}

struct JSONObjectEqualityTests {
    @Test func membersCompareWhateverTheirOrder() {
        let a: JSON = .object(["x": .int(1), "y": .array([.string("a")])])
        let b: JSON = .object(["y": .array([.string("a")]), "x": .int(1)])
        #expect(a == b)
        #expect(a != .object(["x": .int(1)]))
        #expect(a != .object(["x": .int(1), "y": .array([.string("b")])]))
        #expect(a.text != b.text, "order is kept for output")
    }
}
