import FoundationEssentials
import Glibc
import HTTPServer
import OData
import PrismAPI
import PrismMock
import TestSupport
import Testing

/// A client's create → poll → read loop over real sockets, with the real clock and timer in
/// timed mode (the one place tasks move by wall time; bounded in polls and time).
struct TaskPollingTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func request(_ method: String, _ target: String, body: String = "") -> String {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        text += "Authorization: Basic YWRtaW46TnV0YW5peC80dQ==\r\n"
        text += "NTNX-Request-Id: \(UUID().uuidString.lowercased())\r\n"
        text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        return text
    }

    @Test(.timeLimit(.minutes(1)))
    func createPollReadInTimedMode() throws {
        var options = PrismMockOptions()
        options.catalogDirectory = Self.repository.appendingPathComponent("openapi")
        options.fixturesDirectory = Self.repository.appendingPathComponent("fixtures")
        options.taskMode = .timed
        options.taskDelayMilliseconds = 60
        let app = try PrismMockApp(options: options)
        var config = HTTPServerConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        let server = HTTPServer(configuration: config, handler: app.handle)
        try server.start()
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let client = try TestClient.connect(host: "127.0.0.1", port: server.localPort)

        let body = #"{"name":"polled","cluster":{"extId":"f77dcc95-1b7d-5959-9e7c-56adbdc46275"}}"#
        try client.send(Self.request("POST", "/api/vmm/v4.3/ahv/config/vms", body: body))
        let accepted = try client.readResponse()
        #expect(accepted.status == 202)
        let taskId = try #require((try JSON.parse(accepted.body))["data"]?["extId"]?.stringValue)
        let path =
            "/api/prism/v4.4/config/tasks/"
            + taskId.replacingOccurrences(of: "=", with: "%3D")
            .replacingOccurrences(of: ":", with: "%3A")

        var seen: [String] = []
        var task: JSON = .null
        for _ in 0..<400 {
            try client.send(Self.request("GET", path))
            let r = try client.readResponse()
            #expect(r.status == 200)
            task = (try JSON.parse(r.body))["data"] ?? .null
            let status = task["status"]?.stringValue ?? "?"
            if seen.last != status { seen.append(status) }
            if status == "SUCCEEDED" || status == "FAILED" { break }
            usleep(2_000)
        }
        #expect(seen.last == "SUCCEEDED")
        // Whatever the polls caught, the statuses only move forward.
        let order = ["QUEUED", "RUNNING", "SUCCEEDED"]
        #expect(seen.map { order.firstIndex(of: $0) ?? -1 } == seen.map { order.firstIndex(of: $0) ?? -1 }.sorted())
        let vmId = try #require(task["completionDetails"]?.arrayValue?.first?["value"]?.stringValue)
        try client.send(Self.request("GET", "/api/vmm/v4.3/ahv/config/vms/" + vmId))
        let vm = try client.readResponse()
        #expect(vm.status == 200)
        #expect((try JSON.parse(vm.body))["data"]?["name"] == .string("polled"))
    }
}
