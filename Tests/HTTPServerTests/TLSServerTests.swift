import Glibc
import HTTPServer
import TestSupport
import Testing

/// https over real loopback sockets, with a certificate generated per test and a client that
/// verifies it (so a wrong chain or name would fail the handshake).
@Suite struct TLSServerTests {
    static let secureMarker = "secure"

    /// Echoes like the plain tests, adds whether the connection was TLS, and sends `n` bytes
    /// for `/bytes/<n>`.
    @Sendable static func handler(_ request: HTTPRequest, _ info: ConnectionInfo) -> HTTPResponse {
        if request.target.hasPrefix("/bytes/"), let count = Int(request.target.dropFirst("/bytes/".count)) {
            return HTTPResponse(status: 200, headers: HTTPHeaders(), body: (0..<count).map { UInt8($0 % 251) })
        }
        var response = echo(request, info)
        if info.isSecure { response.headers.add("X-Transport", secureMarker) }
        return response
    }

    func startTLS(
        identity: TLSIdentity, handshakeTimeout: Duration = .seconds(10),
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws -> HTTPServer {
        let tls = try TLSConfiguration(identity: identity, handshakeTimeout: handshakeTimeout)
        return try startServer(handler: Self.handler) {
            $0.tls = tls
            configure(&$0)
        }
    }

    func verifying(_ identity: TLSIdentity, name: String = "localhost") -> TLSTestClient.Options {
        TLSTestClient.Options(trustedCertificatePEM: identity.certificatePEM, serverName: name)
    }

    @Test func aVerifyingClientHandshakesWithTLS13AndGetsAnAnswer() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        let client = try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: verifying(identity))
        #expect(client.protocolVersion == "TLSv1.3")
        try client.send(get("/hello"))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "GET /hello")
        #expect(response.headers["X-Transport"] == Self.secureMarker)
    }

    @Test func tls12IsAccepted() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        var options = verifying(identity)
        options.maximumVersion = 0x0303
        let client = try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: options)
        #expect(client.protocolVersion == "TLSv1.2")
        try client.send(get("/twelve"))
        #expect(try client.readResponse().bodyText == "GET /twelve")
    }

    @Test func tls11IsRefusedAndTheServerGoesOn() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        // The server's protocol_version alert (RFC 8446 §6.2), not a client that never offered 1.1.
        #expect {
            try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: .tls11Only)
        } throws: { error in
            "\(error)".contains("alert protocol version")
        }
        let client = try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: verifying(identity))
        try client.send(get("/after"))
        #expect(try client.readResponse().bodyText == "GET /after")
    }

    @Test(arguments: ["localhost", "pcmock.test"])
    func theCertificateNamesTheLoopbackAndTheGivenHost(name: String) throws {
        let identity = try TLSIdentity.selfSigned(hosts: ["pcmock.test"])
        let server = try startTLS(identity: identity)
        let client = try TLSTestClient.connect(
            host: "127.0.0.1", port: server.localPort, options: verifying(identity, name: name))
        try client.send(get("/named"))
        #expect(try client.readResponse().status == 200)
    }

    @Test func aNameTheCertificateLacksFailsVerification() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        #expect(throws: TLSTestError.self) {
            try TLSTestClient.connect(
                host: "127.0.0.1", port: server.localPort, options: verifying(identity, name: "elsewhere.example"))
        }
    }

    @Test func anotherCertificateFailsVerification() throws {
        let server = try startTLS(identity: try TLSIdentity.selfSigned())
        let stranger = try TLSIdentity.selfSigned()
        #expect(throws: TLSTestError.self) {
            try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: verifying(stranger))
        }
    }

    @Test func keepAliveAndPipelinedRequestsShareOneSession() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        let client = try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: verifying(identity))
        for index in 0..<5 {
            try client.send(get("/\(index)"))
            #expect(try client.readResponse().bodyText == "GET /\(index)")
        }
        try client.send(get("/a") + get("/b") + get("/c", "Connection: close\r\n"))
        #expect(try client.readResponse().bodyText == "GET /a")
        #expect(try client.readResponse().bodyText == "GET /b")
        let last = try client.readResponse()
        #expect(last.bodyText == "GET /c")
        #expect(last.headers["Connection"] == "close")
        #expect(try client.isClosedByServer())
    }

    /// Many TLS records in and out: a body larger than one record (16 KiB) and a response
    /// larger than the socket buffers, so partial writes and the write source are exercised.
    @Test func largeBodiesCrossManyRecords() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        // Megabytes through a debug build's TLS while the rest of the suite runs in parallel on
        // two cores: a generous read timeout keeps this a test of correctness, not of speed.
        let client = try TLSTestClient.connect(
            host: "127.0.0.1", port: server.localPort, options: verifying(identity), timeout: .seconds(60))
        let body = String(repeating: "0123456789abcdef", count: 40_000)
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        #expect(try client.readResponse().bodyText == "POST /upload " + body)
        let count = 6 * 1024 * 1024
        try client.send(get("/bytes/\(count)"))
        let response = try client.readResponse()
        #expect(response.body.count == count)
        #expect(response.body == (0..<count).map { UInt8($0 % 251) })
    }

    @Test func plainHTTPToTheTLSPortIsClosedAndTheServerGoesOn() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity)
        let plain = try TestClient.connect(host: "127.0.0.1", port: server.localPort, timeout: .seconds(2))
        try plain.send(get("/plain"))
        #expect(closedOrReset(plain))
        let client = try TLSTestClient.connect(host: "127.0.0.1", port: server.localPort, options: verifying(identity))
        try client.send(get("/tls"))
        #expect(try client.readResponse().bodyText == "GET /tls")
    }

    /// The handshake timeout, not the (long) header timeout, ends a stalled handshake: the
    /// client's own 2 s read timeout would fail the test if the server waited for the latter.
    @Test func aStalledHandshakeIsClosedAfterTheHandshakeTimeout() throws {
        let server = try startTLS(identity: try TLSIdentity.selfSigned(), handshakeTimeout: .milliseconds(200)) {
            $0.headerTimeout = .seconds(30)
        }
        let stalled = try TestClient.connect(host: "127.0.0.1", port: server.localPort, timeout: .seconds(2))
        // The first bytes of a TLS record header (RFC 8446 §5.1: handshake, legacy version 3.1).
        try stalled.send([0x16, 0x03, 0x01])
        #expect(closedOrReset(stalled))
        let silent = try TestClient.connect(host: "127.0.0.1", port: server.localPort, timeout: .seconds(2))
        #expect(closedOrReset(silent))
    }

    /// Garbage, plain HTTP, truncated and abandoned handshakes, interleaved with requests of a
    /// client on one keep-alive session and fresh verified handshakes: every good request is
    /// answered, and the server is still serving afterwards.
    @Test func aFloodOfBadHandshakesDoesNotDisturbAGoodClient() throws {
        let identity = try TLSIdentity.selfSigned()
        let server = try startTLS(identity: identity, handshakeTimeout: .milliseconds(500)) { $0.workerCount = 2 }
        let port = server.localPort
        let good = try TLSTestClient.connect(host: "127.0.0.1", port: port, options: verifying(identity))
        let junk: [[UInt8]] = [
            Array(get("/plain").utf8),
            [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00],
            [0x16, 0x03, 0x03, 0xff, 0xff] + [UInt8](repeating: 0x41, count: 64),
            (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) },
            [0x16, 0x03],
        ]
        var stalled: [TestClient] = []
        for round in 0..<200 {
            let bad = try TestClient.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
            try? bad.send(junk[round % junk.count])
            if round % junk.count == junk.count - 1 { stalled.append(bad) }
            if round % 10 == 0 {
                try good.send(get("/good/\(round)"))
                #expect(try good.readResponse().bodyText == "GET /good/\(round)")
            }
            if round % 50 == 0 {
                let fresh = try TLSTestClient.connect(host: "127.0.0.1", port: port, options: verifying(identity))
                try fresh.send(get("/fresh/\(round)"))
                #expect(try fresh.readResponse().bodyText == "GET /fresh/\(round)")
            }
        }
        #expect(stalled.allSatisfy { closedOrReset($0) })
        try good.send(get("/last"))
        #expect(try good.readResponse().bodyText == "GET /last")
    }

    @Test func aKeyThatDoesNotMatchTheCertificateIsRejected() throws {
        let one = try TLSIdentity.selfSigned()
        let other = try TLSIdentity.selfSigned()
        let mixed = TLSIdentity(certificatePEM: one.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        #expect(throws: TLSError.self) { try TLSConfiguration(identity: mixed) }
    }

    @Test func textThatIsNotPEMIsRejected() throws {
        let good = try TLSIdentity.selfSigned()
        #expect(throws: TLSError.self) {
            try TLSConfiguration(identity: TLSIdentity(certificatePEM: "nope", privateKeyPEM: good.privateKeyPEM))
        }
        #expect(throws: TLSError.self) {
            try TLSConfiguration(identity: TLSIdentity(certificatePEM: good.certificatePEM, privateKeyPEM: "nope"))
        }
    }

    @Test func aMissingFileIsReportedWithItsPath() throws {
        let path = "/nonexistent-pcmock-test/cert.pem"
        #expect {
            try TLSIdentity(certificateFile: path, privateKeyFile: path)
        } throws: { error in
            (error as? TLSError)?.operation.contains(path) == true
        }
    }
}

/// The server ended the connection: an orderly close, or a reset when it closed with our
/// bytes unread (either way nothing was answered).
func closedOrReset(_ client: TestClient) -> Bool {
    do {
        return try client.isClosedByServer()
    } catch TestClientError.socket(_, let code) {
        return code == ECONNRESET
    } catch {
        return false
    }
}
