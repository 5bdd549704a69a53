import Glibc
import HTTPServer
import TestSupport
import Testing

/// End-to-end behaviour over real sockets; each test starts its own server on a free port.
struct HTTPServerTests {
    @Test(arguments: ["127.0.0.1", "::1"])
    func servesOverIPv4AndIPv6(host: String) throws {
        let server = try startServer(host: host)
        #expect(server.localPort > 0)
        #expect(server.boundHost == host)
        let client = try connect(server, host: host)
        try client.send(get("/hello"))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.bodyText == "GET /hello")
        #expect(response.headers["Content-Length"] == "10")
        #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
        #expect(response.headers["Connection"] == nil)
    }

    @Test func aNameIsBoundOnItsAddresses() throws {
        let server = try startServer(host: "localhost")
        let client = try TestClient.connect(host: "127.0.0.1", port: server.localPort)
        try client.send(get("/by-name"))
        #expect(try client.readResponse().bodyText == "GET /by-name")
    }

    @Test func bindingAPortInUseReportsTheSyscallAndErrno() throws {
        let first = try startServer()
        var configuration = HTTPServerConfiguration()
        configuration.port = first.localPort
        let second = HTTPServer(configuration: configuration, handler: echo)
        #expect(throws: SocketError(operation: "bind", code: EADDRINUSE)) { try second.start() }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try startServer()
        let client = try connect(server)
        for index in 1...3 {
            try client.send(get("/\(index)"))
            #expect(try client.readResponse().bodyText == "GET /\(index)")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send(get("/1") + "POST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody" + get("/3"))
        #expect(try client.readResponse().bodyText == "GET /1")
        #expect(try client.readResponse().bodyText == "POST /2 body")
        #expect(try client.readResponse().bodyText == "GET /3")
    }

    @Test func chunkedUploadIsDechunked() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send(
            "PUT /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nwiki\r\n5\r\npedia\r\n")
        try client.send("0\r\nX-Checksum: 1\r\n\r\n")
        #expect(try client.readResponse().bodyText == "PUT /c wikipedia")
    }

    @Test func expectContinueGetsTheInterimResponseBeforeTheBodyIsSent() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send("POST /e HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        try client.send("abc")
        #expect(try client.readResponse().bodyText == "POST /e abc")
    }

    @Test func headGetsTheHeadersOfTheBodyWithoutIt() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n" + get("/after"))
        let head = try client.readResponse(headOnly: true)
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == "7")
        // Had a body been sent, it would be read as the start of this response.
        #expect(try client.readResponse().bodyText == "GET /after")
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() throws {
        let server = try startServer()
        let closing = try connect(server)
        try closing.send("GET /a HTTP/1.0\r\n\r\n")
        #expect(try closing.readResponse().headers["Connection"] == "close")
        #expect(try closing.isClosedByServer())

        let keeping = try connect(server)
        try keeping.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try keeping.readResponse().headers["Connection"] == "keep-alive")
        try keeping.send("GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try keeping.readResponse().bodyText == "GET /c")
    }

    @Test func connectionCloseFromTheClientEndsTheConnection() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send(get("/last", "Connection: close\r\n") + get("/ignored"))
        let response = try client.readResponse()
        #expect(response.bodyText == "GET /last")
        #expect(response.headers["Connection"] == "close")
        #expect(try client.isClosedByServer())
    }

    @Test func theHandlerCanCloseTheConnection() throws {
        let server = try startServer { _, _ in HTTPResponse(status: 503, body: Array("bye".utf8), closeConnection: true)
        }
        let client = try connect(server)
        try client.send(get("/"))
        let response = try client.readResponse()
        #expect(response.status == 503)
        #expect(response.headers["Connection"] == "close")
        #expect(try client.isClosedByServer())
    }

    @Test func aClientThatHalfClosesStillGetsItsResponse() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send(get("/half"))
        client.shutdownWrite()
        #expect(try client.readResponse().bodyText == "GET /half")
        #expect(try client.isClosedByServer())
    }

    @Test func headerTextFromTheHandlerCannotInjectFields() throws {
        let server = try startServer { _, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("X-Note", "a\r\nX-Injected: 1"), ("Bad\r\nName", "v")]))
        }
        let client = try connect(server)
        try client.send(get("/"))
        let response = try client.readResponse()
        #expect(response.headers["X-Injected"] == nil)
        #expect(response.headers["X-Note"] == "a  X-Injected: 1")
        #expect(response.headers["BadName"] == "v")
    }

    @Test(arguments: [204, 304])
    func bodilessStatusesSendNoLengthAndNoBody(status: Int) throws {
        let server = try startServer { request, info in
            request.target == "/empty" ? HTTPResponse(status: status, body: Array("dropped".utf8)) : echo(request, info)
        }
        let client = try connect(server)
        try client.send(get("/empty") + get("/next"))
        let response = try client.readResponse()
        #expect(response.status == status)
        #expect(response.headers["Content-Length"] == nil)
        #expect(try client.readResponse().bodyText == "GET /next")
    }

    @Test func theHandlerSeesThePeer() throws {
        let server = try startServer { _, info in
            .json(200, "\"\(info.remoteAddress) \(info.localPort) \(info.remotePort > 0)\"")
        }
        let client = try connect(server)
        try client.send(get("/"))
        #expect(try client.readResponse().bodyText == "\"127.0.0.1 \(server.localPort) true\"")
    }
}
