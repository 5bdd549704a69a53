import Testing
@testable import PrismMock

struct RequestTargetTests {
    @Test func decodesTaskIdSegmentAndKeepsActionsLiteral() throws {
        let t = try #require(RequestTarget(
            path: "/api/prism/v4.4/config/tasks/ZXJnb24%3D%3A3333/$actions/cancel", query: nil))
        #expect(t.segments == ["api", "prism", "v4.4", "config", "tasks", "ZXJnb24=:3333", "$actions", "cancel"])
        #expect(t.query.isEmpty)
    }

    @Test func plusIsLiteralInPathButSpaceInQuery() throws {
        let t = try #require(RequestTarget(path: "/a+b", query: "%24filter=name+eq+%27a%2Bb%27&%24limit=2"))
        #expect(t.segments == ["a+b"])
        #expect(t.value("$filter") == "name eq 'a+b'")
        #expect(t.value("$limit") == "2")
    }

    @Test func keepsRepeatedAndValuelessQueryItems() throws {
        let t = try #require(RequestTarget(path: "/x", query: "a=1&a=2&flag&=v"))
        #expect(t.query.map(\.name) == ["a", "a", "flag", ""])
        #expect(t.query.map(\.value) == ["1", "2", "", "v"])
    }

    @Test func splitsOnlyOnTheFirstEqualsAndDropsEmptySegmentsAndItems() throws {
        let t = try #require(RequestTarget(path: "//api//vmm/", query: "k=&&x=y=z%3D&"))
        #expect(t.segments == ["api", "vmm"])
        #expect(t.query.map(\.name) == ["k", "x"])
        #expect(t.query.map(\.value) == ["", "y=z="])
    }

    @Test func decodesASubstringInsideALargerString() throws {
        // The request line's path and query are slices of one buffer; decoding must read only
        // the slice's bytes.
        let line = "GET /api/vms/%41b?$limit=2&n=x HTTP/1.1"
        let path = line.dropFirst(4).prefix { $0 != "?" }
        let query = line.drop { $0 != "?" }.dropFirst().prefix { $0 != " " }
        let t = try #require(RequestTarget(path: path, query: query))
        #expect(t.segments == ["api", "vms", "Ab"])
        #expect(t.value("$limit") == "2")
        #expect(t.value("n") == "x")
    }

    @Test func decodesMultibyteUTF8() throws {
        let t = try #require(RequestTarget(path: "/vm-%C3%A9t%C3%A9", query: "n=%E2%82%AC"))
        #expect(t.segments == ["vm-été"])
        #expect(t.value("n") == "€")
    }

    @Test(arguments: [
        ("/bad%2", nil as String?), ("/bad%zz", nil), ("/bad%FF", nil),
        ("/ok", "q=%"), ("/ok", "q=%G0"), ("/ok", "%C3%28=1"),
    ])
    func rejectsMalformedEscapes(path: String, query: String?) {
        #expect(RequestTarget(path: path[...], query: query?[...]) == nil)
    }
}
