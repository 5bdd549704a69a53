import Testing

@testable import HTTPServer

struct HTTPParserTests {
    static let valid: [ParserCase] = [
        ParserCase("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", [.get("/")]),
        ParserCase(
            "odd spacing", "GET /x?y=1 HTTP/1.1\r\nHost:a\r\nX-A:   spaced  value \t\r\nx-b:\r\n\r\n",
            [.get("/x?y=1", headers: ["Host: a", "X-A: spaced  value", "x-b: "])]),
        ParserCase(
            "repeated headers kept in order", "GET / HTTP/1.1\r\nAccept: a\r\nHost: a\r\naccept: b\r\n\r\n",
            [.get("/", headers: ["Accept: a", "Host: a", "accept: b"])]),
        ParserCase(
            "Content-Length body", "POST /v HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
            [
                .request(
                    method: "POST", target: "/v", version: "HTTP/1.1",
                    headers: ["Host: a", "Content-Length: 5"], body: "hello", trailers: [])
            ]),
        ParserCase(
            "identical repeated Content-Length",
            "PUT /v HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok",
            [
                .request(
                    method: "PUT", target: "/v", version: "HTTP/1.1",
                    headers: ["Host: a", "Content-Length: 2", "Content-Length: 2, 2"], body: "ok", trailers: [])
            ]),
        ParserCase(
            "chunked with extensions and trailers",
            "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=val\r\nhello\r\n6 ; ext=\"q\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
            [
                .request(
                    method: "POST", target: "/u", version: "HTTP/1.1",
                    headers: ["Host: a", "Transfer-Encoding: chunked"], body: "hello world",
                    trailers: ["X-Trailer: t"])
            ]),
        ParserCase(
            "pipelined pair",
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nDELETE /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
            [
                .get("/1"),
                .request(
                    method: "DELETE", target: "/2", version: "HTTP/1.1",
                    headers: ["Host: a", "Content-Length: 3"], body: "abc", trailers: []),
            ]),
        ParserCase(
            "request line exactly at the limit",
            "GET /" + String(repeating: "a", count: 50) + " HTTP/1.1\r\nHost: a\r\n\r\n",
            [.get("/" + String(repeating: "a", count: 50))]),
        ParserCase(
            "header section exactly at the limit",
            "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 240) + "\r\n\r\n",
            [.get("/", headers: ["Host: a", "X: " + String(repeating: "v", count: 240)])]),
        ParserCase(
            "header count exactly at the limit", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
            [.get("/", headers: ["Host: a", "A: 1", "B: 2", "C: 3", "D: 4"])]),
        ParserCase(
            "chunked body exactly at the limit",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + String(repeating: "x", count: 64)
                + "\r\n0\r\n\r\n",
            [
                .request(
                    method: "POST", target: "/", version: "HTTP/1.1",
                    headers: ["Host: a", "Transfer-Encoding: chunked"],
                    body: String(repeating: "x", count: 64), trailers: [])
            ]),
        ParserCase("empty lines before the request line", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", [.get("/")]),
        ParserCase("bare LF line ends", "GET / HTTP/1.1\nHost: a\n\n", [.get("/")]),
        ParserCase(
            "HTTP/1.0 needs no Host", "GET /old HTTP/1.0\r\n\r\n",
            [.request(method: "GET", target: "/old", version: "HTTP/1.0", headers: [], body: "", trailers: [])]),
        ParserCase(
            "Expect 100-continue with its body",
            "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx",
            [
                .request(
                    method: "POST", target: "/", version: "HTTP/1.1",
                    headers: ["Host: a", "Expect: 100-Continue", "Content-Length: 1"], body: "x", trailers: [])
            ]),
    ]

    static let invalid: [ParserCase] = [
        ParserCase("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  b\r\n\r\n", [.error(400)]),
        ParserCase("whitespace before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", [.error(400)]),
        ParserCase("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", [.error(400)]),
        ParserCase("NUL in a value", "GET / HTTP/1.1\r\nHost: a\u{0}b\r\n\r\n", [.error(400)]),
        ParserCase("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", [.error(400)]),
        ParserCase(
            "differing Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            [.error(400)]),
        ParserCase(
            "non-digit Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5a\r\n\r\n", [.error(400)]),
        ParserCase(
            "negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", [.error(400)]),
        ParserCase(
            "Content-Length and chunked",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", [.error(400)]),
        ParserCase(
            "unknown transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", [.error(501)]),
        ParserCase(
            "chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            [.error(400)]),
        ParserCase(
            "request line over the limit", "GET /" + String(repeating: "a", count: 51) + " HTTP/1.1\r\n\r\n",
            [.error(414)]),
        ParserCase("request line without end", "GET /" + String(repeating: "a", count: 70), [.error(414)]),
        ParserCase(
            "header section over the limit",
            "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 241) + "\r\n\r\n", [.error(431)]),
        ParserCase(
            "too many header fields", "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
            [.error(431)]),
        ParserCase(
            "Content-Length over the limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", [.error(413)]),
        ParserCase(
            "Content-Length beyond any integer",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", [.error(413)]),
        ParserCase(
            "chunked total over the limit",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n30\r\n"
                + String(repeating: "x", count: 48) + "\r\n20\r\n", [.error(413)]),
        ParserCase(
            "malformed chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            [.error(400)]),
        ParserCase(
            "chunk data without CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n",
            [.error(400)]),
        ParserCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", [.error(505)]),
        ParserCase("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", [.error(505)]),
        ParserCase("malformed version", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", [.error(400)]),
        ParserCase("lowercase protocol name", "GET / http/1.1\r\nHost: a\r\n\r\n", [.error(400)]),
        ParserCase("missing target", "GET HTTP/1.1\r\nHost: a\r\n\r\n", [.error(400)]),
        ParserCase("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", [.error(400)]),
        ParserCase("method with separators", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", [.error(400)]),
        ParserCase("unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", [.error(417)]),
        ParserCase("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: x\r\n\r\n", [.error(400)]),
        ParserCase("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", [.error(400)]),
        ParserCase(
            "valid request then garbage", "GET /ok HTTP/1.1\r\nHost: a\r\n\r\nNOT HTTP\r\n",
            [.get("/ok"), .error(400)]),
    ]

    @Test(arguments: valid + invalid)
    func wholeInput(_ testCase: ParserCase) {
        #expect(ParserCase.run([testCase.input[...]]) == testCase.expected)
    }

    @Test(arguments: valid + invalid)
    func byteByByte(_ testCase: ParserCase) {
        let bytes = testCase.input.indices.map { testCase.input[$0...$0] }
        #expect(ParserCase.run(bytes) == testCase.expected)
    }

    @Test(arguments: valid + invalid)
    func everyTwoWaySplit(_ testCase: ParserCase) {
        for split in 0...testCase.input.count {
            let chunks = [testCase.input[..<split], testCase.input[split...]]
            let outcome = ParserCase.run(chunks)
            #expect(outcome == testCase.expected, "split at \(split)")
            if outcome != testCase.expected { return }
        }
    }
}
