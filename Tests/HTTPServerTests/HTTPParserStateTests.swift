import Testing

@testable import HTTPServer

/// The parser's state as the connection sees it: 100-continue events and partial-request flags.
struct HTTPParserStateTests {
    private func events(_ parser: inout HTTPParser) throws -> [String] {
        var names: [String] = []
        while let event = try parser.next() {
            switch event {
            case .continueNeeded: names.append("continue")
            case .request(let request): names.append("request \(String(decoding: request.body, as: UTF8.self))")
            }
        }
        return names
    }

    @Test func continueIsAskedForOnlyWhileTheBodyIsMissing() throws {
        var parser = HTTPParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        #expect(try events(&parser) == ["continue"])
        #expect(parser.isReadingBody)
        parser.append(Array("abc".utf8))
        #expect(try events(&parser) == ["request abc"])
        #expect(!parser.hasPartialRequest)
    }

    @Test func continueIsNotAskedForWhenTheBodyCameWithTheHead() throws {
        var parser = HTTPParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc".utf8))
        #expect(try events(&parser) == ["request abc"])
    }

    @Test func continueIsIgnoredForHTTP10() throws {
        var parser = HTTPParser()
        parser.append(Array("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n".utf8))
        #expect(try events(&parser) == [])
        parser.append(Array("z".utf8))
        #expect(try events(&parser) == ["request z"])
    }

    @Test func continueIsAskedForForAChunkedBody() throws {
        var parser = HTTPParser()
        parser.append(
            Array("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        #expect(try events(&parser) == ["continue"])
        parser.append(Array("1\r\nq\r\n0\r\n\r\n".utf8))
        #expect(try events(&parser) == ["request q"])
    }

    @Test func partialRequestIsReportedUntilComplete() throws {
        var parser = HTTPParser()
        #expect(!parser.hasPartialRequest)
        parser.append(Array("GET / HT".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.hasPartialRequest)
        #expect(!parser.isReadingBody)
        parser.append(Array("TP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(try events(&parser) == ["request "])
        #expect(!parser.hasPartialRequest)
    }

    @Test func anErrorIsStickyAndRethrown() {
        var parser = HTTPParser()
        parser.append(Array("BAD\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test func aLargeBodyArrivingInPiecesIsReassembled() throws {
        var parser = HTTPParser(limits: HTTPParserLimits(maxBodyBytes: 1 << 20))
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n".utf8))
        var start = 0
        var received: HTTPRequest?
        while start < body.count {
            parser.append(body[start..<min(start + 65_536, body.count)])
            start += 65_536
            if case .request(let request) = try parser.next() { received = request }
        }
        #expect(received?.body == body)
    }
}
