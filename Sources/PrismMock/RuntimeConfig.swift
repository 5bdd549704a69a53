import OData
import PrismAPI
import Synchronization

/// Settings an operator can change while pcmock runs (`GET`/`PUT /_pcmock/config`). Read on
/// every request, so reads are a short lock on a small value copy.
struct RuntimeSettings: Sendable, Equatable {
    struct RateLimit: Sendable, Equatable {
        var requestsPerSecond: Double
        var burst: Int
    }
    enum TaskMode: String, Sendable, Equatable {
        case timed, immediate, manual
    }

    var rateLimit: RateLimit?
    var taskMode: TaskMode = .timed
    var taskDelayMilliseconds = 250
    /// Contract-checking mode (issue 9): violations are rejected instead of tolerated.
    var strict = false

    func json() -> String {
        var o = JSONObject()
        if let r = rateLimit {
            o["rateLimit"] = .object(JSONObject([
                ("requestsPerSecond", JSON.double(r.requestsPerSecond)), ("burst", .int(Int64(r.burst))),
            ]))
        } else {
            o["rateLimit"] = .null
        }
        o["tasks"] = .object(JSONObject([
            ("mode", .string(taskMode.rawValue)), ("delayMs", .int(Int64(taskDelayMilliseconds))),
        ]))
        o["strict"] = .bool(strict)
        return JSON.object(o).text
    }

    /// Applies a `PUT /_pcmock/config` body: only the members present change. Returns the
    /// problems found; nothing changes when there is any.
    mutating func apply(_ body: JSON) -> [ValidationProblem] {
        guard case .object(let o) = body else { return [ValidationProblem(attributePath: "$", message: "must be an object")] }
        var next = self
        var problems: [ValidationProblem] = []
        for m in o {
            switch m.key {
            case "rateLimit":
                switch m.value {
                case .null: next.rateLimit = nil
                case .object:
                    guard let rps = m.value["requestsPerSecond"]?.numberValue, rps > 0, rps.isFinite else {
                        problems.append(.init(attributePath: "rateLimit.requestsPerSecond", message: "must be a positive number"))
                        continue
                    }
                    let burst = m.value["burst"]?.numberValue ?? max(1, rps.rounded(.up))
                    guard burst >= 1, burst == burst.rounded(), burst <= 1_000_000 else {
                        problems.append(.init(attributePath: "rateLimit.burst", message: "must be a whole number from 1"))
                        continue
                    }
                    next.rateLimit = RateLimit(requestsPerSecond: rps, burst: Int(burst))
                default:
                    problems.append(.init(attributePath: "rateLimit", message: "must be an object or null"))
                }
            case "tasks":
                guard case .object(let t) = m.value else {
                    problems.append(.init(attributePath: "tasks", message: "must be an object"))
                    continue
                }
                if let mode = t["mode"] {
                    guard let s = mode.stringValue, let parsed = TaskMode(rawValue: s) else {
                        problems.append(.init(attributePath: "tasks.mode", message: "must be timed, immediate or manual"))
                        continue
                    }
                    next.taskMode = parsed
                }
                if let delay = t["delayMs"] {
                    guard let d = delay.numberValue, d >= 0, d == d.rounded(), d <= 3_600_000 else {
                        problems.append(.init(attributePath: "tasks.delayMs", message: "must be a whole number of milliseconds"))
                        continue
                    }
                    next.taskDelayMilliseconds = Int(d)
                }
            case "strict":
                guard case .bool(let b) = m.value else {
                    problems.append(.init(attributePath: "strict", message: "must be a boolean"))
                    continue
                }
                next.strict = b
            default:
                problems.append(.init(attributePath: m.key, message: "is not a setting (rateLimit, tasks, strict)"))
            }
        }
        if problems.isEmpty { self = next }
        return problems
    }
}

final class RuntimeConfig: Sendable {
    private let state: Mutex<RuntimeSettings>

    init(_ initial: RuntimeSettings) {
        state = Mutex(initial)
    }

    var current: RuntimeSettings { state.withLock { $0 } }

    func update(_ body: (inout RuntimeSettings) -> [ValidationProblem]) -> [ValidationProblem] {
        state.withLock { body(&$0) }
    }
}
