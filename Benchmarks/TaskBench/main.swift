import Foundation
import Glibc
import HTTPServer
import OData
import PrismAPI
import PrismMock

// task-bench   (build with -c release; scripts/bench tasks runs it)
// 1. a batch of 500 VM creates in immediate mode, through the app (no sockets): wall time of the
//    submitBatch request, median of 5 runs (issue 7 target: <= 1 s);
// 2. 10,000 completed tasks, then filtered task lists: median time per request of 50 (target <= 20 ms).

let connection = ConnectionInfo(remoteAddress: "127.0.0.1", remotePort: 1, localPort: 9440)
let cluster = "f77dcc95-1b7d-5959-9e7c-56adbdc46275"

func call(_ app: PrismMockApp, _ method: String, _ target: String, _ body: String = "") -> HTTPResponse {
    let headers = HTTPHeaders([
        ("Host", "127.0.0.1:9440"), ("Authorization", "Basic YWRtaW46TnV0YW5peC80dQ=="),
        ("NTNX-Request-Id", UUID().uuidString.lowercased()), ("Content-Type", "application/json"),
    ])
    return app.handle(HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)), connection)
}

func batchBody(_ count: Int, prefix: String) -> String {
    let items = (0..<count).map {
        #"{"data":{"name":"\#(prefix)-\#($0)","cluster":{"extId":"\#(cluster)"}}}"#
    }
    return #"{"metadata":{"action":"CREATE","name":"bench","uri":"/api/vmm/v4.3/ahv/config/vms","chunkSize":500},"#
        + #""payload":["# + items.joined(separator: ",") + "]}"
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1_000 + Double(d.components.attoseconds) / 1e15
}

func fixed2(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let frac = hundredths % 100
    return "\(hundredths / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s[s.count / 2]
}

func taskStatus(_ app: PrismMockApp, _ response: HTTPResponse) -> String {
    guard let id = (try? JSON.parse(response.body))?["data"]?["extId"]?.stringValue else { return "no task" }
    let encoded = id.split(separator: ":", omittingEmptySubsequences: false).map {
        $0.split(separator: "=", omittingEmptySubsequences: false).joined(separator: "%3D")
    }.joined(separator: "%3A")
    let task = try? JSON.parse(call(app, "GET", "/api/prism/v4.4/config/tasks/" + encoded).body)
    return task?["data"]?["status"]?.stringValue ?? "?"
}

var options = PrismMockOptions()
options.taskMode = .immediate
options.fixturesDirectory = ResourceLocator.directory(named: "fixtures")
let app = try PrismMockApp(options: options)
let clock = ContinuousClock()

var batchTimes: [Double] = []
for run in 0..<5 {
    let body = batchBody(500, prefix: "run\(run)")
    var response = HTTPResponse(status: 0)
    let elapsed = clock.measure { response = call(app, "POST", "/api/prism/v4.4/operations/$actions/batch", body) }
    let status = taskStatus(app, response)
    guard response.status == 202, status == "SUCCEEDED" else {
        print("batch failed: HTTP \(response.status), task \(status)")
        exit(1)
    }
    batchTimes.append(milliseconds(elapsed))
}
print(
    "batch of 500 VM creates (immediate): median \(Int(median(batchTimes))) ms, runs \(batchTimes.map { Int($0) }) ms")

// 5 batches above made 2,505 tasks; 15 more make 10,020.
for run in 5..<20 {
    _ = call(app, "POST", "/api/prism/v4.4/operations/$actions/batch", batchBody(500, prefix: "fill\(run)"))
}
let total =
    (try? JSON.parse(call(app, "GET", "/api/prism/v4.4/config/tasks?%24limit=1").body))?["metadata"]?[
        "totalAvailableResults"]?.numberValue ?? 0
print("tasks stored: \(Int(total))")

let lastCreate = call(app, "GET", "/api/prism/v4.4/config/tasks?%24filter=operation+eq+%27createVm%27&%24limit=1")
let someVm = (try? JSON.parse(lastCreate.body))?["data"]?.arrayValue?.first?["entitiesAffected"]?.arrayValue?.first?[
    "extId"]?.stringValue ?? ""
let queries: [(String, String)] = [
    (
        "status eq SUCCEEDED, 50 per page",
        "%24filter=status+eq+Prism.Config.TaskStatus%27SUCCEEDED%27&%24limit=50"
    ),
    (
        "status + operation, ordered by createdTime desc",
        "%24filter=status+eq+Prism.Config.TaskStatus%27SUCCEEDED%27+and+operation+eq+%27createVm%27&%24orderby=createdTime+desc&%24limit=50"
    ),
    (
        "CAPX: entitiesAffected/any(a:a/extId eq one VM) and (status RUNNING or QUEUED)",
        "%24filter=entitiesAffected%2Fany%28a%3Aa%2FextId+eq+%27\(someVm)%27%29+and+%28status+eq+"
            + "Prism.Config.TaskStatus%27RUNNING%27+or+status+eq+Prism.Config.TaskStatus%27QUEUED%27%29"
    ),
    (
        "entitiesAffected/any(e:e/extId eq one VM)",
        "%24filter=entitiesAffected%2Fany%28e%3Ae%2FextId+eq+%27\(someVm)%27%29"
    ),
]
for (label, query) in queries {
    var times: [Double] = []
    var count = 0
    for _ in 0..<50 {
        var response = HTTPResponse(status: 0)
        let elapsed = clock.measure { response = call(app, "GET", "/api/prism/v4.4/config/tasks?" + query) }
        guard response.status == 200 else {
            print("\(label): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self).prefix(300))")
            exit(1)
        }
        count =
            (try? JSON.parse(response.body))?["metadata"]?["totalAvailableResults"].flatMap(\.numberValue).map(Int.init)
            ?? -1
        times.append(milliseconds(elapsed))
    }
    print(
        "list tasks [\(label)] over \(Int(total)): median \(fixed2(median(times))) ms, "
            + "p90 \(fixed2(times.sorted()[44])) ms, matches \(count)")
}
