import Testing

@testable import OData

struct PrinterTests {
    static let corpus = [
        "a eq 1 or b eq 2 and c eq 3", "not a eq b", "not (a eq b)", "a sub (b sub c)", "(a sub b) sub c",
        "- 5 eq -5", "-(a add b) mul c", "- -a eq 1", "not not a", "a in ('x','y') eq true",
        "(a or b) and (c or d)", "a and (b or c) and d", "name eq 'it''s'", "x eq 1.0 and y eq 1e-05",
        "x eq INF or x eq NaN", "x eq -9223372036854775808", "d eq 2012-12-03 and t eq 07:16:23.5",
        "e eq 2012-12-03T07:16:23.123+05:30", "x eq duration'P1D' or y has Ns.T'A,B'",
        "disks/any(d:d/a/b eq 'S' and d/c gt 1)", "a/all(x:x/b/any(y:y eq x/c))", "disks/any()",
        "name startswith 'a'", "contains(tolower(name),'x') and length(name) gt 2",
        "substring(name,1,2) eq 'ab'", "isof(x,Edm.String)", "cast(Edm.Int32) eq 1", "x eq 'a''''b'",
        "x eq 1e1a9608-79f0-4b2f-9c3d-00000000000A", "(a has 'X') eq true", "a in () or a in (null,1,-2.5)",
        "now() ge mindatetime()", "a in ((b or c),d eq e)", "-x in (1)", "(-x) in (1)", "not a in (1)",
    ]

    @Test(arguments: corpus)
    func roundTrips(input: String) throws {
        let parsed = try Parser.parseFilter(input)
        let printed = Printer.print(parsed)
        let reparsed = try Parser.parseFilter(printed)
        #expect(reparsed == parsed, "printed: \(printed)")
        #expect(Printer.print(reparsed) == printed)
    }

    @Test func printsCanonicalForm() throws {
        let parsed = try Parser.parseFilter("NAME  EQ 'a'   AND  CONTAINS(x,'b') Or Disks/ANY(d: d eq 1)")
        #expect(Printer.print(parsed) == "NAME eq 'a' and contains(x,'b') or Disks/any(d:d eq 1)")
        #expect(Printer.print(try Parser.parseFilter("(a sub b) sub (c sub d)")) == "a sub b sub (c sub d)")
        #expect(Printer.print(try Parser.parseFilter("name contains 'x'")) == "contains(name,'x')")
    }

    @Test(arguments: [UInt64(11), 12])
    func generatedFiltersRoundTrip(seed: UInt64) throws {
        var generator = FilterGenerator(seed: seed)
        for _ in 0..<1000 {
            let input = generator.predicate(4)
            let parsed = try Parser.parseFilter(input)
            let printed = Printer.print(parsed)
            #expect(try Parser.parseFilter(printed) == parsed, "input: \(input)\nprinted: \(printed)")
        }
    }
}
