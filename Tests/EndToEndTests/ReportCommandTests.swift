import Foundation
import TestSupport
import Testing

/// `pcmock report` against a `pcmock serve` on port 0: the table, the formats, and exit codes
/// a CI step can rely on (0 clean, 1 violations, 2 not fetched).
struct ReportCommandTests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func report(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = ServeCommandTests.binary
        process.arguments = ["report"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: a report larger than the pipe buffer would otherwise block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func get(_ port: Int, _ target: String, requestId: String = "e2e-report-1") throws -> Int {
        let client = try TestClient.connect(host: "127.0.0.1", port: port)
        try client.send(
            "GET \(target) HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46TnV0YW5peC80dQ==\r\n"
                + "NTNX-Request-Id: \(requestId)\r\n\r\n")
        return try client.readResponse().status
    }

    @Test func aCleanRunPrintsTheTableAndExitsZero() throws {
        let server = try ServeCommandTests.Running(["--port", "0", "--task-mode", "immediate"])
        defer { _ = server.stop() }
        #expect(try ReportCommandTests.get(server.port, "/api/vmm/v4.3/ahv/config/vms?%24limit=1") == 200)
        let r = try ReportCommandTests.report(["--url", "http://127.0.0.1:\(server.port)"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("pcmock contract report (lenient mode"))
        #expect(r.stdout.contains("operations exercised 1 of "))
        #expect(r.stdout.contains("No contract violations."))
        let row = r.stdout.split(separator: "\n").first { $0.contains("listVms") }
        #expect(
            row?.split(separator: " ", omittingEmptySubsequences: true).map(String.init) == [
                "vmm", "listVms", "GET", "1", "200×1",
            ])
        #expect(r.stdout.contains("UNUSED ENTITIES"))
        #expect(r.stdout.contains("vmm:ahv:config:vm"))
    }

    @Test func violationsExitOneInEveryFormat() throws {
        let server = try ServeCommandTests.Running(["--port", "0", "--strict", "--fixtures", "none"])
        defer { _ = server.stop() }
        #expect(try ReportCommandTests.get(server.port, "/api/vmm/v4.3/ahv/config/vms?%24top=1") == 400)
        let url = "http://127.0.0.1:\(server.port)"
        let table = try ReportCommandTests.report(["--url", url])
        #expect(table.status == 1)
        #expect(table.stdout.contains("(strict mode"))
        #expect(table.stdout.contains("STRICT_UNKNOWN_QUERY_OPTION ×1 in vmm listVms"))
        #expect(table.stdout.contains("request ids: e2e-report-1"))

        let json = try ReportCommandTests.report(["--url", url, "--format", "json"])
        #expect(json.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let violations = parsed?["violations"] as? [[String: Any]]
        #expect(violations?.first?["rule"] as? String == "STRICT_UNKNOWN_QUERY_OPTION")

        let junit = try ReportCommandTests.report(["--url", url, "--format", "junit"])
        #expect(junit.status == 1)
        #expect(junit.stdout.hasPrefix("<?xml"))
        #expect(junit.stdout.contains(#"<failure type="STRICT_UNKNOWN_QUERY_OPTION""#))
    }

    @Test func credentialsAndTheURLAreUsed() throws {
        let server = try ServeCommandTests.Running([
            "--port", "0", "--fixtures", "none", "--username", "ci", "--password", "s3cret",
        ])
        defer { _ = server.stop() }
        let url = "http://localhost:\(server.port)/"
        let denied = try ReportCommandTests.report(["--url", url])
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("answered 401"))
        let allowed = try ReportCommandTests.report(["--url", url, "--username", "ci", "--password", "s3cret"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("No operation was called."))
    }

    @Test func nothingListeningExitsTwo() throws {
        // A port that was just free: bind one, note it, stop the server.
        let server = try ServeCommandTests.Running(["--port", "0", "--fixtures", "none"])
        let port = server.port
        #expect(server.stop() == 0)
        let r = try ReportCommandTests.report(["--url", "http://127.0.0.1:\(port)"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("pcmock report: cannot connect"))
    }

    @Test(arguments: [
        "https://127.0.0.1:9440", "127.0.0.1:9440", "http://[::1", "http://127.0.0.1:99999", "http://:9440",
    ])
    func aBadURLIsAUsageError(url: String) throws {
        let r = try ReportCommandTests.report(["--url", url])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--url"))
    }
}
