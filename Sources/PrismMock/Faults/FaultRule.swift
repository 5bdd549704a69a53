import OData
import PrismAPI

/// One fault rule of `POST /_pcmock/faults` (DESIGN.md admin table): which requests it matches
/// and what it does to them.
struct FaultRule: Sendable, Equatable {
    var id: String
    /// nil matches any method.
    var method: String?
    /// `/`-separated segments; `*` matches exactly one segment.
    var pathPattern: String
    /// Answer this status (with `Retry-After` when given) instead of running the request.
    var status: Int?
    var retryAfterSeconds: Int?
    /// Matches left; nil = unlimited. The rule goes away when it reaches 0.
    var times: Int?
    var latencyMs: Int
    /// Run the request, but fail the task it creates.
    var failTask: Bool
    /// Do not run the request; close the connection without an answer.
    var dropConnection: Bool
    var probability: Double
    var message: String?

    /// Parses a rule body; the problems are reported as a schema error.
    init(json: JSON, id: String) throws(FaultRuleError) {
        guard case .object(let o) = json else { throw FaultRuleError(path: "$", message: "must be an object") }
        self.id = id
        for key in o.keys where !FaultRule.keys.contains(key) {
            throw FaultRuleError(
                path: key, message: "is not a fault rule field (\(FaultRule.keys.sorted().joined(separator: ", ")))")
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws(FaultRuleError) -> Int? {
            guard let v = o[key], v != .null else { return nil }
            guard let d = v.numberValue, d == d.rounded(), d >= Double(range.lowerBound), d <= Double(range.upperBound)
            else {
                throw FaultRuleError(
                    path: key, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(d)
        }
        method = o["method"]?.stringValue?.uppercased()
        guard let pattern = o["pathPattern"]?.stringValue, pattern.hasPrefix("/") else {
            throw FaultRuleError(path: "pathPattern", message: "is required and must start with /")
        }
        pathPattern = pattern
        status = try int("status", 400...599)
        retryAfterSeconds = try int("retryAfterSeconds", 0...86_400)
        times = try int("times", 1...1_000_000)
        latencyMs = try int("latencyMs", 0...600_000) ?? 0
        if let v = o["failTask"], v != .null {
            guard let b = v.boolValue else { throw FaultRuleError(path: "failTask", message: "must be a boolean") }
            failTask = b
        } else {
            failTask = false
        }
        if let v = o["dropConnection"], v != .null {
            guard let b = v.boolValue else {
                throw FaultRuleError(path: "dropConnection", message: "must be a boolean")
            }
            dropConnection = b
        } else {
            dropConnection = false
        }
        if let v = o["probability"], v != .null {
            guard let p = v.numberValue, p >= 0, p <= 1 else {
                throw FaultRuleError(path: "probability", message: "must be a number from 0 to 1")
            }
            probability = p
        } else {
            probability = 1
        }
        message = o["message"]?.stringValue
        if status != nil && failTask {
            throw FaultRuleError(
                path: "failTask", message: "cannot be combined with status (the request would not run)")
        }
        if dropConnection && (status != nil || failTask) {
            throw FaultRuleError(
                path: "dropConnection",
                message: "cannot be combined with status or failTask (the request neither runs nor gets an answer)")
        }
    }

    static let keys: Set<String> = [
        "method", "pathPattern", "status", "retryAfterSeconds", "times", "latencyMs", "failTask", "dropConnection",
        "probability", "message",
    ]

    func matches(method: String, path: Substring) -> Bool {
        if let m = self.method, m != method { return false }
        let want = pathPattern.split(separator: "/", omittingEmptySubsequences: true)
        let have = path.split(separator: "/", omittingEmptySubsequences: true)
        guard want.count == have.count else { return false }
        for (w, h) in zip(want, have) where w != "*" && w != h { return false }
        return true
    }

    func json() -> String {
        var o = JSONObject([("id", .string(id))])
        o["method"] = method.map { .string($0) } ?? .null
        o["pathPattern"] = .string(pathPattern)
        o["status"] = status.map { .int(Int64($0)) } ?? .null
        o["retryAfterSeconds"] = retryAfterSeconds.map { .int(Int64($0)) } ?? .null
        o["times"] = times.map { .int(Int64($0)) } ?? .null
        o["latencyMs"] = .int(Int64(latencyMs))
        o["failTask"] = .bool(failTask)
        o["dropConnection"] = .bool(dropConnection)
        o["probability"] = .double(probability)
        if let message { o["message"] = .string(message) }
        return JSON.object(o).text
    }
}

struct FaultRuleError: Error {
    var path: String
    var message: String
}
