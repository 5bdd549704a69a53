import HTTPServer
import TestSupport
import Testing

/// `HTTPResponse.dropConnection`: the connection ends with no answer, after the answers to the
/// requests before it, and the server goes on serving everyone else.
extension HTTPServerTests {
    @Sendable static func dropping(_ request: HTTPRequest, _ info: ConnectionInfo) -> HTTPResponse {
        var response = echo(request, info)
        if request.target.hasPrefix("/drop") { response.dropConnection = true }
        if request.target == "/drop-late" { response.delay = .milliseconds(200) }
        return response
    }

    @Test func aDroppedRequestGetsNoBytesAndTheServerGoesOn() throws {
        let server = try startServer(handler: Self.dropping) { $0.workerCount = 1 }
        let dropped = try connect(server)
        try dropped.send(get("/drop"))
        #expect(try dropped.readUntilClose().isEmpty)
        let other = try connect(server)
        try other.send(get("/after"))
        #expect(try other.readResponse().bodyText == "GET /after")
    }

    @Test func pipelinedAnswersBeforeTheDropArriveAndNothingAfterIt() throws {
        let server = try startServer(handler: Self.dropping)
        let client = try connect(server)
        try client.send(get("/first") + get("/drop") + get("/never"))
        #expect(try client.readResponse().bodyText == "GET /first")
        #expect(try client.readUntilClose().isEmpty)
    }

    @Test func aDelayedDropHoldsTheConnectionThenClosesIt() throws {
        let server = try startServer(handler: Self.dropping) { $0.workerCount = 1 }
        let client = try connect(server)
        try client.send(get("/before") + get("/drop-late") + get("/never"))
        #expect(try client.readResponse().bodyText == "GET /before")
        let other = try connect(server)
        try other.send(get("/meanwhile"))
        #expect(try other.readResponse().bodyText == "GET /meanwhile")
        // The drop has not happened yet: the connection is neither answered nor closed.
        #expect(!client.hasDataWaiting())
        #expect(try client.readUntilClose().isEmpty)
    }
}
