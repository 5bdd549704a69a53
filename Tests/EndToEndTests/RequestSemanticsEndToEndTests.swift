import Foundation
import HTTPServer
import OData
import PrismAPI
import PrismMock
import TestSupport
import Testing

/// Authentication, idempotency, preconditions, rate limits and the journal over real sockets on
/// 127.0.0.1, with the application's handler behind the HTTP server.
struct RequestSemanticsEndToEndTests {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()
    static let catalog: Catalog? = try? Catalog.load(from: repoRoot.appendingPathComponent("openapi"))
    static let auth = "Authorization: Basic YWRtaW46TnV0YW5peC80dQ==\r\n"
    static let vms = "/api/vmm/v4.3/ahv/config/vms"

    final class Running {
        let app: PrismMockApp
        let server: HTTPServer
        init(_ configure: (inout PrismMockOptions) -> Void = { _ in }) throws {
            var options = PrismMockOptions()
            options.catalog = RequestSemanticsEndToEndTests.catalog
            options.fixturesDirectory = RequestSemanticsEndToEndTests.repoRoot.appendingPathComponent("fixtures")
            // Tasks finish before the 202, so a created VM is listed at once (TaskPollingTests cover timed mode).
            options.taskMode = .immediate
            configure(&options)
            app = try PrismMockApp(options: options)
            var config = HTTPServerConfiguration()
            config.host = "127.0.0.1"
            config.port = 0
            server = HTTPServer(configuration: config, handler: app.handle)
            try server.start()
        }
        deinit { server.shutdown(gracePeriod: .milliseconds(100)) }

        func send(_ method: String, _ target: String, headers: String = "", body: String = "") throws -> TestResponse {
            let client = try TestClient.connect(host: "127.0.0.1", port: server.localPort)
            var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(headers)"
            if !body.isEmpty || method != "GET" { head += "Content-Length: \(body.utf8.count)\r\n" }
            try client.send(head + "\r\n" + body)
            return try client.readResponse()
        }
    }

    static var vmBody: String {
        let cluster = "f77dcc95-1b7d-5959-9e7c-56adbdc46275"
        return #"{"name":"e2e-vm","numSockets":1,"memorySizeBytes":1073741824,"cluster":{"extId":"\#(cluster)"}}"#
    }

    @Test func unauthenticatedRequestsGetAChallengeAndHealthStaysOpen() throws {
        let pc = try Running()
        let r = try pc.send("GET", Self.vms)
        #expect(r.status == 401)
        #expect(r.headers["WWW-Authenticate"] == #"Basic realm="pcmock""#)
        #expect(r.bodyText.contains("vmm.v4.error.ErrorResponse"))
        #expect(try pc.send("GET", "/_pcmock/health").status == 200)
        let key = "X-ntnx-api-key: pcmock-svc-automation-3f9c2a7e5b1d4086a2c4e6f8b0d2f4a6\r\n"
        #expect(try pc.send("GET", Self.vms, headers: key).status == 200)
    }

    @Test func aRetriedPostGetsTheSameBytesAndCreatesOneVM() throws {
        // Immediate tasks: the VM exists when the 202 is sent, so the count below needs no polling.
        let pc = try Running { $0.taskMode = .immediate }
        let id = "NTNX-Request-Id: 7d0c1c52-3c1e-4f7e-9d59-0f6f7b3c9a10\r\n"
        let first = try pc.send("POST", Self.vms, headers: Self.auth + id, body: Self.vmBody)
        let second = try pc.send("POST", Self.vms, headers: Self.auth + id, body: Self.vmBody)
        #expect(first.status == 202)
        #expect(second.status == 202)
        #expect(second.body == first.body)
        #expect(second.headers["Content-Type"] == first.headers["Content-Type"])
        let other = try pc.send("POST", Self.vms, headers: Self.auth + id, body: #"{"name":"different"}"#)
        #expect(other.status == 409)
        let list = try pc.send("GET", Self.vms + "?%24filter=name+eq+%27e2e-vm%27", headers: Self.auth)
        #expect(list.bodyText.contains(#""totalAvailableResults":1"#))
        let missing = try pc.send("POST", Self.vms, headers: Self.auth, body: Self.vmBody)
        #expect(missing.status == 400)
    }

    @Test func ifMatchIsRequiredAndCompared() throws {
        let pc = try Running()
        let cat = "/api/prism/v4.4/config/categories/6ed1027b-7408-56a7-b58f-67e52668e62a"
        let get = try pc.send("GET", cat, headers: Self.auth)
        let etag = try #require(get.headers["ETag"])
        let body = #"{"key":"Environment","value":"Prod"}"#
        let id = { (n: Int) in "NTNX-Request-Id: put-\(n)\r\n" }
        #expect(try pc.send("PUT", cat, headers: Self.auth + id(1), body: body).status == 428)
        #expect(
            try pc.send("PUT", cat, headers: Self.auth + id(2) + "If-Match: \"stale\"\r\n", body: body).status == 412)
        #expect(try pc.send("PUT", cat, headers: Self.auth + id(3) + "If-Match: \(etag)\r\n", body: body).status == 200)
        let cached = try pc.send("GET", cat, headers: Self.auth + "If-None-Match: \(etag)\r\n")
        #expect(cached.status == 200)  // the ETag moved on with the update
        let fresh = try #require(try pc.send("GET", cat, headers: Self.auth).headers["ETag"])
        let notModified = try pc.send("GET", cat, headers: Self.auth + "If-None-Match: \(fresh)\r\n")
        #expect(notModified.status == 304)
        #expect(notModified.body.isEmpty)
    }

    @Test func throttledClientsGetRetryAfterAndLimitHeaders() throws {
        let pc = try Running {
            $0.rateLimit = 0.01
            $0.rateBurst = 1
        }
        let ok = try pc.send("GET", Self.vms, headers: Self.auth)
        #expect(ok.status == 200)
        #expect(ok.headers["X-RateLimit-Limit"] == "1")
        #expect(ok.headers["X-RateLimit-Remaining"] == "0")
        let over = try pc.send("GET", Self.vms, headers: Self.auth)
        #expect(over.status == 429)
        #expect(Int(over.headers["Retry-After"] ?? "") ?? 0 >= 1)
        #expect(over.bodyText.contains("RATE_LIMIT_EXCEEDED"))
    }

    @Test func theJournalListsWhatWentOverTheWire() throws {
        let pc = try Running()
        _ = try pc.send("GET", Self.vms, headers: "NTNX-Request-Id: e2e-anonymous\r\n")
        _ = try pc.send("GET", Self.vms, headers: Self.auth + "NTNX-Request-Id: e2e-admin\r\n")
        let r = try pc.send("GET", "/_pcmock/requests?limit=2", headers: Self.auth)
        #expect(r.status == 200)
        let data = try JSON.parse(r.body)["data"]?.arrayValue ?? []
        #expect(data.map { $0["requestId"]?.stringValue } == ["e2e-anonymous", "e2e-admin"])
        #expect(data.map { $0["status"] } == [.int(401), .int(200)])
    }
}
