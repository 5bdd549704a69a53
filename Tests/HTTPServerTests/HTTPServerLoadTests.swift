import Dispatch
import Glibc
import HTTPServer
import TestSupport
import Testing

extension HTTPServerTests {
    @Test func aThousandConcurrentKeepAliveConnectionsAreAllAnswered() throws {
        let server = try startServer()
        let clients = try (0..<1000).map { _ in try connect(server) }
        for round in 0..<2 {
            for (index, client) in clients.enumerated() { try client.send(get("/\(round)/\(index)")) }
            for (index, client) in clients.enumerated() {
                #expect(try client.readResponse().bodyText == "GET /\(round)/\(index)")
            }
        }
    }

    @Test func shutdownLetsAnInFlightRequestFinish() throws {
        let started = DispatchSemaphore(value: 0)
        let server = try startServer(handler: { request, info in
            started.signal()
            usleep(100_000)  // the handler's own work, not a wait in the test
            return echo(request, info)
        })
        let port = server.localPort
        let client = try connect(server)
        try client.send(get("/in-flight"))
        #expect(started.wait(timeout: .now() + .seconds(5)) == .success)
        server.shutdown(gracePeriod: .seconds(5))
        let response = try client.readResponse()
        #expect(response.bodyText == "GET /in-flight")
        #expect(response.headers["Connection"] == "close")
        #expect(try client.isClosedByServer())
        #expect(throws: TestClientError.socket(operation: "connect", errno: ECONNREFUSED)) {
            try TestClient.connect(host: "127.0.0.1", port: port)
        }
    }

    @Test func shutdownClosesIdleConnections() throws {
        let server = try startServer()
        let client = try connect(server)
        try client.send(get("/"))
        #expect(try client.readResponse().status == 200)
        server.shutdown()
        #expect(try client.isClosedByServer())
    }

    @Test func shutdownForceClosesWhatOutlivesTheGracePeriod() throws {
        let server = try startServer()
        let stalled = try connect(server)
        try stalled.send("GET / HTTP/1.1\r\n")
        server.shutdown(gracePeriod: .milliseconds(100))
        #expect(try stalled.isClosedByServer())
    }
}
