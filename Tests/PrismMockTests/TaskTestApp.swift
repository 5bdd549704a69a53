import FoundationEssentials
import HTTPServer
import OData
import PrismAPI
import Synchronization
import Testing

@testable import PrismMock

/// A clock that only moves when a test moves it.
final class ManualClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z

    var now: Date { time.withLock { $0 } }

    func advance(milliseconds: Int) {
        time.withLock { $0 = $0.addingTimeInterval(Double(milliseconds) / 1_000) }
    }

    var function: @Sendable () -> Date { { [self] in now } }
}

/// One app with the repository's catalog and fixtures on a manual clock, and helpers to call it
/// the way an SDK does (Basic auth, a request id per call, percent-encoded task ids).
struct TaskTestApp {
    let app: PrismMockApp
    let clock: ManualClock

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let vms = "/api/vmm/v4.3/ahv/config/vms"
    static let cluster = "f77dcc95-1b7d-5959-9e7c-56adbdc46275"
    static let fixtureVm = "addc6543-25ab-5fef-a1c1-f472474e15dd"
    static let otherFixtureVm = "794383ca-2b4a-544c-917f-03fe76684d9f"

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var text: String
        var json: JSON { (try? JSON.parse(text)) ?? .null }
        var data: JSON { json["data"] ?? .null }
    }

    init(
        mode: PrismMockOptions.TaskMode, delayMs: Int = 300, database: String = ":memory:",
        clock: ManualClock = ManualClock()
    ) throws {
        var options = PrismMockOptions()
        options.catalog = TestApp.catalog
        options.fixturesDirectory = TaskTestApp.repository.appendingPathComponent("fixtures")
        options.database = database
        options.taskMode = mode
        options.taskDelayMilliseconds = delayMs
        options.clock = clock.function
        self.clock = clock
        app = try PrismMockApp(options: options)
    }

    var scheduler: TaskScheduler { app.engine.tasks.scheduler }

    @discardableResult
    func send(_ method: String, _ target: String, _ body: String? = nil, headers: [(String, String)] = []) -> Reply {
        var h = HTTPHeaders([
            ("Host", "127.0.0.1:9440"), ("Authorization", "Basic YWRtaW46TnV0YW5peC80dQ=="),
            ("NTNX-Request-Id", UUID().uuidString.lowercased()),
        ])
        if body != nil { h.set("Content-Type", "application/json") }
        for (n, v) in headers { h.set(n, v) }
        let response = app.handle(
            HTTPRequest(method: method, target: target, headers: h, body: Array((body ?? "").utf8)),
            ConnectionInfo(remoteAddress: "127.0.0.1", remotePort: 50_000, localPort: 9440))
        return Reply(
            status: response.status, headers: response.headers, text: String(decoding: response.body, as: UTF8.self))
    }

    static func taskPath(_ id: String) -> String {
        "/api/prism/v4.4/config/tasks/" + BatchRequest.encodeSegment(id)
    }

    func task(_ id: String) -> JSON {
        send("GET", TaskTestApp.taskPath(id)).data
    }

    func status(_ id: String) -> String? {
        task(id)["status"]?.stringValue
    }

    /// POST a VM; returns the task id from the 202.
    func createVm(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let r = send("POST", TaskTestApp.vms, #"{"name":"\#(name)","cluster":{"extId":"\#(TaskTestApp.cluster)"}}"#)
        #expect(r.status == 202, "\(r.text)", sourceLocation: sourceLocation)
        return r.data["extId"]?.stringValue ?? ""
    }

    func vmCount() -> Int {
        Int(send("GET", TaskTestApp.vms + "?%24limit=1").json["metadata"]?["totalAvailableResults"]?.numberValue ?? -1)
    }

    func etag(_ path: String) -> String {
        send("GET", path).headers["ETag"] ?? ""
    }

    /// The extId named by a successful task's `completionDetails`.
    func createdExtId(_ taskId: String) -> String? {
        task(taskId)["completionDetails"]?.arrayValue?.first?["value"]?.stringValue
    }
}
