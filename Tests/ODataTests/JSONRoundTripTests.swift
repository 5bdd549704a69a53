import Testing

@testable import OData

struct JSONRoundTripTests {
    @Test func parsesNumbersStringsAndNesting() throws {
        let value = try JSON.parse(#"{"a":[1,-2.5,1e3,9223372036854775807,true,null],"b":"x\"\u00e9\ud83d\ude00"}"#)
        #expect(value == .object([
            "a": .array([.int(1), .double(-2.5), .double(1000), .int(.max), .bool(true), .null]),
            "b": .string("x\"é😀"),
        ]))
        #expect(try JSON.parse("18446744073709551616") == .double(18_446_744_073_709_551_616))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\"1}", "tru", "\"\u{1}\"", "1 2", "01x", "\"\\q\"", "-", "1e"])
    func rejectsMalformedText(text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func refusesPathologicalNesting() {
        #expect(throws: JSONParseError.self) { try JSON.parse(String(repeating: "[", count: 100_000)) }
    }

    @Test func serializesDeterministicallyAndRoundTrips() throws {
        let value: JSON = .object([
            "z": .string("a\n\"\u{1}"), "a": .array([.double(0.1), .int(-3), .bool(false), .null]),
        ])
        // Members keep the order they were given in, so documents round-trip as clients wrote them.
        #expect(value.text == #"{"z":"a\n\"\u0001","a":[0.1,-3,false,null]}"#)
        #expect(try JSON.parse(value.text) == value)
    }
}
