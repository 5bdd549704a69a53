import Foundation
import Testing
import TestSupport

/// The `pcmock serve` binary as operators and test harnesses run it: the ready line, real
/// sockets, signals and exit codes. Needs `swift build` first (scripts/test does it).
struct ServeCommandTests {
    static let binary: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/pcmock")
    }()

    final class Running {
        let process: Process
        let stdout: Pipe
        let stderr: Pipe
        let readyLine: String
        let port: Int

        init(_ arguments: [String], environment: [String: String]? = nil) throws {
            guard FileManager.default.isExecutableFile(atPath: ServeCommandTests.binary.path) else {
                throw TestFailure("\(ServeCommandTests.binary.path) is missing: run `swift build` before `swift test`")
            }
            process = Process()
            process.executableURL = ServeCommandTests.binary
            process.arguments = ["serve"] + arguments
            if let environment {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            stdout = Pipe()
            stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            readyLine = Running.readLine(stdout.fileHandleForReading)
            port = Int(readyLine.split(separator: ":").last ?? "") ?? -1
        }

        /// Reads up to the first newline; empty if the process closed stdout first.
        static func readLine(_ handle: FileHandle) -> String {
            var bytes: [UInt8] = []
            while true {
                let chunk = handle.readData(ofLength: 1)
                guard let b = chunk.first else { break }
                if b == 0x0A { break }
                bytes.append(b)
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Sends `signal` and waits (bounded) for the exit status.
        func stop(_ signal: Int32 = SIGTERM) -> Int32? {
            kill(process.processIdentifier, signal)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning {
                process.terminate()
                return nil
            }
            return process.terminationStatus
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @Test func printsExactlyTheReadyLineAndServesUntilSIGTERM() throws {
        let server = try Running(["--port", "0", "--fixtures", "none"])
        #expect(server.readyLine.hasPrefix("pcmock listening on http://127.0.0.1:"))
        #expect(server.port > 0)
        let client = try TestClient.connect(host: "127.0.0.1", port: server.port)
        try client.send("GET /_pcmock/health HTTP/1.1\r\nHost: x\r\n\r\n")
        let health = try client.readResponse()
        #expect(health.status == 200)
        #expect(health.bodyText == #"{"status":"ok"}"#)
        #expect(server.stop(SIGTERM) == 0)
        let rest = server.stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.isEmpty, "stdout must hold the ready line only")
    }

    @Test func sigintStopsAServerWithAnOpenKeepAliveClient() throws {
        let server = try Running(["--port", "0"])
        let client = try TestClient.connect(host: "127.0.0.1", port: server.port)
        try client.send("GET /api/vmm/v4.3/ahv/config/vms?%24limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46TnV0YW5peC80dQ==\r\n\r\n")
        let list = try client.readResponse()
        #expect(list.status == 200)
        #expect(list.bodyText.contains("\"$objectType\":\"vmm.v4.ahv.config.ListVmsApiResponse\""))
        #expect(server.stop(SIGINT) == 0)
    }

    @Test func bindsIPv6LoopbackAndBracketsItInTheReadyLine() throws {
        let server = try Running(["--host", "::1", "--port", "0", "--fixtures", "none"])
        #expect(server.readyLine.hasPrefix("pcmock listening on http://[::1]:"))
        let client = try TestClient.connect(host: "::1", port: server.port)
        try client.send("GET /_pcmock/health HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        #expect(server.stop() == 0)
    }

    @Test(arguments: [
        ["--port", "70000"], ["--task-mode", "fast"], ["--rate-limit", "-1"], ["--rate-burst", "5"],
        ["--log-level", "loud"], ["--fixtures", "/nonexistent-dir"], ["--db", "/nonexistent-dir/x.db"],
    ])
    func rejectsInvalidFlagsBeforeListening(arguments: [String]) throws {
        let server = try Running(arguments)
        #expect(server.readyLine.isEmpty)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus != 0)
        let message = String(decoding: server.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("Error:"))
        // `serve` parses its options directly on the way to the ready line; a rejection still
        // takes the whole command tree's way, so the usage names the full command.
        #expect(message.contains("Usage: pcmock serve <options>"))
        #expect(message.contains("See 'pcmock serve --help'"))
    }

    /// The catalog is loaded while the options are parsed; a catalog that does not load still
    /// stops `serve` with exit code 1 and says which file is wrong.
    @Test func aBrokenCatalogFailsWithExitCodeOne() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-e2e-\(UUID().uuidString)")
        let openapi = home.appendingPathComponent("openapi")
        try FileManager.default.createDirectory(at: openapi, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data("{\"info\": ".utf8).write(to: openapi.appendingPathComponent("broken.json"))
        let server = try Running(["--port", "0", "--fixtures", "none"], environment: ["PCMOCK_HOME": home.path])
        server.process.waitUntilExit()
        #expect(server.readyLine.isEmpty)
        #expect(server.process.terminationStatus == 1)
        let message = String(decoding: server.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("cannot load the catalog"))
        #expect(message.contains("broken.json"))
    }

    @Test func aPortInUseFailsWithExitCodeOne() throws {
        let first = try Running(["--port", "0", "--fixtures", "none"])
        let second = try Running(["--port", String(first.port), "--fixtures", "none"])
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 1)
        let message = String(decoding: second.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("cannot listen"))
        #expect(first.stop() == 0)
    }

    @Test func aFileDatabaseKeepsStateAcrossRestarts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("state.db").path
        let body = #"{"key":"Persisted","value":"yes"}"#
        let first = try Running(["--port", "0", "--db", db])
        let c1 = try TestClient.connect(host: "127.0.0.1", port: first.port)
        try c1.send("POST /api/prism/v4.4/config/categories HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46TnV0YW5peC80dQ==\r\nNTNX-Request-Id: 6b3f0d0e-2f1a-4c55-9d5e-0a1b2c3d4e5f\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(try c1.readResponse().status == 201)
        #expect(first.stop() == 0)
        let second = try Running(["--port", "0", "--db", db])
        let c2 = try TestClient.connect(host: "127.0.0.1", port: second.port)
        try c2.send("GET /api/prism/v4.4/config/categories?%24filter=key+eq+%27Persisted%27 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46TnV0YW5peC80dQ==\r\n\r\n")
        let r = try c2.readResponse()
        #expect(r.bodyText.contains("\"value\":\"yes\""))
        #expect(second.stop() == 0)
    }
}
