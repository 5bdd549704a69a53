import HTTPServer
import TestSupport
import Testing

/// Timeouts are configured to 200 ms; the tests block on reads that the server's timers end
/// (each read itself gives up after the client's 5 s timeout, so nothing can hang).
extension HTTPServerTests {
    @Test func aSlowHeaderClientDoesNotDelayOthers() throws {
        let server = try startServer(configure: { $0.workerCount = 1 })
        let slow = try connect(server)
        try slow.send("GET /slow HTTP/1.1\r\nHo")
        let prompt = try TestClient.connect(host: "127.0.0.1", port: server.localPort, timeout: .seconds(2))
        try prompt.send(get("/prompt"))
        #expect(try prompt.readResponse().bodyText == "GET /prompt")
        #expect(!slow.hasDataWaiting())
        try slow.send("st: t\r\n\r\n")
        #expect(try slow.readResponse().bodyText == "GET /slow")
    }

    @Test func headersNotCompleteInTimeGet408ThenClose() throws {
        let server = try startServer(configure: { $0.headerTimeout = .milliseconds(200) })
        let client = try connect(server)
        try client.send("GET / HTTP/1.1\r\nHost: t\r\n")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.headers["Connection"] == "close")
        #expect(try client.isClosedByServer())
    }

    @Test func aBodyThatStopsArrivingGets408() throws {
        let server = try startServer(configure: { $0.idleTimeout = .milliseconds(200) })
        let client = try connect(server)
        try client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf")
        #expect(try client.readResponse().status == 408)
        #expect(try client.isClosedByServer())
    }

    @Test func anIdleKeepAliveConnectionIsClosedSilently() throws {
        let server = try startServer(configure: { $0.idleTimeout = .milliseconds(200) })
        let client = try connect(server)
        try client.send(get("/"))
        #expect(try client.readResponse().status == 200)
        #expect(try client.isClosedByServer())
    }

    @Test func aConnectionThatNeverSendsIsClosedAfterTheHeaderTimeout() throws {
        let server = try startServer(configure: { $0.headerTimeout = .milliseconds(200) })
        let client = try connect(server)
        #expect(try client.isClosedByServer())
    }

    @Test func aResponseDelayDoesNotBlockTheWorker() throws {
        let server = try startServer(handler: { request, info in
            var response = echo(request, info)
            if request.target == "/slow" { response.delay = .seconds(1) }
            return response
        }) { $0.workerCount = 1 }
        let delayed = try connect(server)
        try delayed.send(get("/slow"))
        let other = try connect(server)
        try other.send(get("/fast"))
        #expect(try other.readResponse().bodyText == "GET /fast")
        #expect(!delayed.hasDataWaiting())
        #expect(try delayed.readResponse().bodyText == "GET /slow")
    }

    @Test func pipelinedResponsesWaitBehindADelayedOne() throws {
        let server = try startServer(handler: { request, info in
            var response = echo(request, info)
            if request.target == "/slow" { response.delay = .milliseconds(200) }
            return response
        })
        let client = try connect(server)
        try client.send(get("/slow") + get("/fast") + get("/slow") + get("/last", "Connection: close\r\n"))
        #expect(try client.readResponse().bodyText == "GET /slow")
        #expect(try client.readResponse().bodyText == "GET /fast")
        #expect(try client.readResponse().bodyText == "GET /slow")
        #expect(try client.readResponse().bodyText == "GET /last")
        #expect(try client.isClosedByServer())
    }
}
