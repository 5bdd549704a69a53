import HTTPServer
import TestSupport
import Testing

/// A request the server must refuse, the status it must answer with, and then close.
struct LimitCase: Sendable, CustomStringConvertible {
    var description: String
    var request: String
    var status: Int
}

extension HTTPServerTests {
    static let limitCases: [LimitCase] = [
        LimitCase(
            description: "request line over 8 KiB", request: get("/" + String(repeating: "a", count: 9000)), status: 414
        ),
        LimitCase(
            description: "header section over 32 KiB",
            request: get("/", (0..<40).map { "X-\($0): \(String(repeating: "v", count: 1000))\r\n" }.joined()),
            status: 431),
        LimitCase(
            description: "more than 100 header fields",
            request: get("/", (0..<101).map { "X-\($0): v\r\n" }.joined()), status: 431),
        LimitCase(
            description: "Content-Length over the body limit",
            request: "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\nstart", status: 413),
        LimitCase(
            description: "chunked body over the body limit",
            request: "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "400\r\n\(String(repeating: "x", count: 1024))\r\n1\r\n", status: 413),
        LimitCase(
            description: "invalid Content-Length", request: "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\n",
            status: 400),
        LimitCase(
            description: "Content-Length with chunked",
            request: "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            status: 400),
        LimitCase(
            description: "unknown transfer coding",
            request: "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br, chunked\r\n\r\n", status: 501),
        LimitCase(description: "HTTP/2.0", request: "GET / HTTP/2.0\r\nHost: t\r\n\r\n", status: 505),
        LimitCase(description: "not HTTP at all", request: "HELLO THERE\r\n\r\n", status: 400),
        LimitCase(description: "obs-fold", request: get("/", "X: a\r\n b\r\n"), status: 400),
        LimitCase(description: "unknown expectation", request: get("/", "Expect: 200-ok\r\n"), status: 417),
    ]

    @Test(arguments: limitCases)
    func aRefusedRequestIsAnsweredThenTheConnectionCloses(_ testCase: LimitCase) throws {
        let server = try startServer(configure: { $0.maxBodyBytes = 1024 })
        let client = try connect(server)
        try client.send(testCase.request)
        let response = try client.readResponse()
        #expect(response.status == testCase.status)
        #expect(response.headers["Connection"] == "close")
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.bodyText.contains("\"status\":\(testCase.status)"))
        #expect(try client.isClosedByServer())
    }

    @Test func theApplicationFormatsTheServersOwnErrors() throws {
        let server = try startServer(configure: {
            $0.errorResponder = { status, message in
                HTTPResponse(status: status, body: Array("custom \(status): \(message)".utf8))
            }
        })
        let client = try connect(server)
        try client.send("BROKEN\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.bodyText == "custom 400: malformed request line")
    }

    @Test func aBodyAtTheLimitIsAccepted() throws {
        let server = try startServer(handler: { request, _ in .json(200, "\(request.body.count)") }) {
            $0.maxBodyBytes = 1024
        }
        let client = try connect(server)
        try client.send(
            "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" + String(repeating: "b", count: 1024))
        #expect(try client.readResponse().bodyText == "1024")
    }
}
