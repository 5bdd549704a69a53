import Testing

@testable import OData

struct EvaluatorTests {
    /// T, F or N: true if the filter selects the document, false if its negation does, else null.
    static func truth(_ filter: String, _ document: JSON = .object([:])) throws -> String {
        let query = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog)
        if query.matches(document) { return "T" }
        let negated = try ODataQuery.parse(filter: "not (\(filter))", catalog: Fixtures.catalog)
        return negated.matches(document) ? "F" : "N"
    }

    @Test(arguments: [
        // The truth table of odata.md §3, with `isActive` missing = null.
        ("true and isActive", "N"), ("false and isActive", "F"), ("isActive and isActive", "N"),
        ("true or isActive", "T"), ("false or isActive", "N"), ("isActive or isActive", "N"),
        ("not isActive", "N"),
        // eq/ne treat null as a value; ordering with null is false.
        ("name eq null", "T"), ("name ne 'x'", "T"), ("name eq 'x'", "F"), ("name ne null", "F"),
        ("name gt 'a'", "F"), ("name lt 'a'", "F"), ("name ge null", "T"), ("name gt null", "F"),
        ("null eq null", "T"), ("numSockets add 1 eq null", "T"), ("contains(name,'a')", "N"),
        ("name in (null,'a')", "T"), ("name in ('a')", "F"),
        // Lambdas over a missing collection: any is false, all is true.
        ("tags/any(t:t eq 'a')", "F"), ("tags/all(t:t eq 'a')", "T"), ("disks/any()", "F"),
    ])
    func nullSemantics(filter: String, expected: String) throws {
        #expect(try EvaluatorTests.truth(filter) == expected)
    }

    @Test func lambdasOverEmptyAndNonEmptyCollections() throws {
        let empty: JSON = .object(["tags": .array([])])
        #expect(try EvaluatorTests.truth("tags/any(t:t eq 'a')", empty) == "F")
        #expect(try EvaluatorTests.truth("tags/all(t:t eq 'a')", empty) == "T")
        let tagged: JSON = .object(["tags": .array([.string("a"), .null])])
        #expect(try EvaluatorTests.truth("tags/any(t:t eq 'a')", tagged) == "T")
        #expect(try EvaluatorTests.truth("tags/all(t:t eq 'a')", tagged) == "F")
        #expect(try EvaluatorTests.truth("tags/all(t:contains(t,'a'))", tagged) == "F")
        let disks: JSON = .object([
            "numSockets": .int(2),
            "disks": .array([.object(["index": .int(2), "diskAddress": .object(["busType": .string("SCSI")])])]),
        ])
        #expect(
            try EvaluatorTests.truth(
                "disks/any(d:d/index eq numSockets and d/diskAddress/busType eq 'SCSI')",
                disks) == "T")
        #expect(try EvaluatorTests.truth("disks/any(d:d/diskAddress/busType eq 'IDE')", disks) == "F")
    }

    @Test(arguments: [
        ("contains(name,'web')", "T"), ("contains(name,'WEB')", "F"), ("startswith(name,'web_')", "T"),
        ("startswith(name,'web%')", "F"), ("endswith(name,'_01')", "T"), ("endswith(name,'')", "T"),
        ("length(description) eq 5", "T"), ("indexof(name,'_') eq 3", "T"), ("indexof(name,'z') eq -1", "T"),
        ("substring(name,4) eq '01'", "T"), ("substring(name,1,2) eq 'eb'", "T"), ("substring(name,9) eq ''", "T"),
        ("tolower(description) eq 'åsa-ü'", "F"), ("tolower(description) eq 'Åsa-ü'", "T"),
        ("toupper(name) eq 'WEB_01'", "T"), ("trim('  a ') eq 'a'", "T"), ("concat(name,'!') eq 'web_01!'", "T"),
        ("matchesPattern(name,'^w.b_[0-9]+$')", "T"), ("matchesPattern(name,'^x')", "F"),
        ("numSockets div 2 eq 3", "T"), ("numSockets divby 2 eq 3.5", "T"), ("-numSockets mod 3 eq -1", "T"),
        ("numSockets mod -3 eq 1", "T"), ("numSockets div 0 eq null", "T"), ("cpuRatio mul 2 eq 5", "T"),
        ("round(cpuRatio) eq 3", "T"), ("round(-cpuRatio) eq -3", "T"), ("floor(cpuRatio) eq 2", "T"),
        ("ceiling(cpuRatio) eq 3", "T"), ("9223372036854775807 add 1 gt 9223372036854775807", "T"),
        ("powerState has 'ON'", "T"), ("powerState has 'OFF'", "F"),
        ("name in ('a','web_01')", "T"), ("numSockets in (1,7)", "T"),
    ])
    func functionsAndArithmetic(filter: String, expected: String) throws {
        let document: JSON = .object([
            "name": .string("web_01"), "description": .string("ÅSA-ü"), "numSockets": .int(7),
            "cpuRatio": .double(2.5), "powerState": .string("ON"),
        ])
        #expect(try EvaluatorTests.truth(filter, document) == expected)
    }
}
