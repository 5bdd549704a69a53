import HTTPServer
import TestSupport
import Testing

/// Responses and bodies larger than a socket buffer: partial writes, the write source, and
/// reading paused while a client does not keep up.
extension HTTPServerTests {
    @Test func responsesLargerThanTheSocketBufferArriveWholeAndInOrder() throws {
        let server = try startServer(handler: { request, _ in
            let tag = UInt8(truncatingIfNeeded: Int(request.target.dropFirst()) ?? 0)
            return HTTPResponse(status: 200, body: [UInt8](repeating: tag, count: 300_000))
        })
        let client = try connect(server)
        // 24 × 300 kB is far more than the socket buffers hold: the server must wait for the
        // client to read, keep its place, and stop reading requests meanwhile.
        try client.send((0..<24).map { get("/\($0)") }.joined())
        for index in 0..<24 {
            let response = try client.readResponse()
            #expect(response.body.count == 300_000)
            #expect(response.body.allSatisfy { $0 == UInt8(index) })
        }
    }

    /// Bodies past the size the server sends from their own storage, pipelined between small
    /// ones and HEAD answers: each arrives whole, in order, and a HEAD still gets no body.
    @Test func referencedAndCopiedBodiesInterleaveInOrder() throws {
        let server = try startServer(handler: { request, _ in
            let index = Int(request.target.dropFirst()) ?? 0
            let size = index % 3 == 0 ? 5_551 : index % 3 == 1 ? 17 : 2_048
            return HTTPResponse(status: 200, body: (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ index) })
        })
        let client = try connect(server)
        try client.send(
            (0..<30).map { $0 % 5 == 4 ? "HEAD /\($0) HTTP/1.1\r\nHost: test\r\n\r\n" : get("/\($0)") }.joined())
        for index in 0..<30 {
            let size = index % 3 == 0 ? 5_551 : index % 3 == 1 ? 17 : 2_048
            let response = try client.readResponse(headOnly: index % 5 == 4)
            #expect(response.headers["Content-Length"] == String(size))
            #expect(response.body == (index % 5 == 4 ? [] : (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ index) }))
        }
    }

    @Test func aClientThatDoesNotReadDoesNotDelayOthers() throws {
        let server = try startServer(
            handler: { request, info in
                request.target == "/big"
                    ? HTTPResponse(status: 200, body: [UInt8](repeating: 1, count: 4 << 20)) : echo(request, info)
            },
            configure: { $0.workerCount = 1 })
        let hog = try connect(server)
        try hog.send(get("/big") + get("/big"))
        let other = try connect(server)
        try other.send(get("/other"))
        #expect(try other.readResponse().bodyText == "GET /other")
        #expect(try hog.readResponse().body.count == 4 << 20)
    }

    @Test func aLargeUploadArrivingOverManyReadsIsReassembled() throws {
        let server = try startServer(handler: { request, _ in
            let sum = request.body.reduce(0) { $0 &+ Int($1) }
            return .json(200, "[\(request.body.count),\(sum)]")
        })
        let client = try connect(server)
        let body = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n")
        try client.send(body)
        let expectedSum = body.reduce(0) { $0 &+ Int($1) }
        #expect(try client.readResponse().bodyText == "[3000000,\(expectedSum)]")
    }

    @Test func aClientVanishingMidRequestLeavesTheServerServing() throws {
        let server = try startServer()
        for partial in ["GET / HTTP/1.1\r\nHost", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\nabc"] {
            let client = try connect(server)
            try client.send(partial)
        }
        let client = try connect(server)
        try client.send(get("/still-here"))
        #expect(try client.readResponse().bodyText == "GET /still-here")
    }
}
