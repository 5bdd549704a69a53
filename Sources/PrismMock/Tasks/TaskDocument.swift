import FoundationEssentials
import OData
import PrismAPI

/// A `prism.v4.config.Task` document (sdk-contract.md §g) and its transitions. Statuses follow
/// `prism.v4.config.TaskStatus`: QUEUED → RUNNING → SUCCEEDED | FAILED, and QUEUED | RUNNING →
/// CANCELING → CANCELED.
struct TaskDocument {
    enum Status: String, Sendable {
        case queued = "QUEUED"
        case running = "RUNNING"
        case canceling = "CANCELING"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
        case canceled = "CANCELED"

        var isFinished: Bool { self == .succeeded || self == .failed || self == .canceled }
    }

    struct Affected: Sendable {
        var extId: String
        var rel: String
        var name: String?
    }

    private(set) var object: JSONObject

    static let reserved = JSON.object(JSONObject([("$fv", .string("v4.r4"))]))

    init(object: JSONObject) {
        self.object = object
    }

    init?(text: String) {
        guard let o = (try? JSON.parse(text))?.objectValue else { return nil }
        object = o
    }

    /// A new QUEUED task.
    static func queued(
        extId: String, operation: String, description: String, affected: [Affected], owner: Principal,
        clusterExtIds: [String], now: Date
    ) -> TaskDocument {
        let time = JSON.string(Timestamp.rfc3339(now))
        var o = JSONObject([
            ("extId", .string(extId)), ("operation", .string(operation)),
            ("operationDescription", .string(description)), ("status", .string(Status.queued.rawValue)),
            ("progressPercentage", .int(0)), ("createdTime", time), ("lastUpdatedTime", time),
        ])
        o["entitiesAffected"] = .array(
            affected.map { a in
                var e = JSONObject([("extId", .string(a.extId)), ("rel", .string(a.rel))])
                if let name = a.name { e["name"] = .string(name) }
                e["$objectType"] = .string("prism.v4.config.EntityReference")
                e["$reserved"] = reserved
                return .object(e)
            })
        o["numberOfEntitiesAffected"] = .int(Int64(affected.count))
        o["completionDetails"] = .array([])
        o["errorMessages"] = .array([])
        o["warnings"] = .array([])
        o["subTasks"] = .array([])
        o["numberOfSubtasks"] = .int(0)
        o["clusterExtIds"] = .array(clusterExtIds.map { .string($0) })
        o["isCancelable"] = .bool(true)
        o["isBackgroundTask"] = .bool(false)
        o["ownedBy"] = .object(
            JSONObject([
                ("extId", .string(owner.extId)), ("name", .string(owner.name)),
                ("$objectType", .string("prism.v4.config.OwnerReference")), ("$reserved", reserved),
            ]))
        o["$objectType"] = .string("prism.v4.config.Task")
        return TaskDocument(object: o)
    }

    var text: String { JSON.object(object).text }
    var extId: String { object["extId"]?.stringValue ?? "" }
    var status: Status? { object["status"]?.stringValue.flatMap(Status.init(rawValue:)) }
    var progress: Int { Int(object["progressPercentage"]?.numberValue ?? 0) }

    mutating func run(progress: Int, now: Date) {
        let time = JSON.string(Timestamp.rfc3339(now))
        if object["startedTime"] == nil { insert("startedTime", time, after: "createdTime") }
        object["status"] = .string(Status.running.rawValue)
        object["progressPercentage"] = .int(Int64(min(99, max(0, progress))))
        object["lastUpdatedTime"] = time
    }

    mutating func succeed(completionDetails: [(name: String, value: String)], now: Date) {
        finish(.succeeded, now: now)
        object["progressPercentage"] = .int(100)
        object["completionDetails"] = .array(
            completionDetails.map {
                .object(
                    JSONObject([
                        ("name", .string($0.name)), ("value", .string($0.value)),
                        ("$objectType", .string("common.v1.config.KVPair")),
                        ("$reserved", .object(JSONObject([("$fv", .string("v1.r0"))]))),
                    ]))
            })
    }

    mutating func fail(_ messages: [TaskMessage], now: Date) {
        finish(.failed, now: now)
        object["errorMessages"] = .array(messages.map { $0.json() })
    }

    mutating func cancelRequested(now: Date) {
        object["status"] = .string(Status.canceling.rawValue)
        object["isCancelable"] = .bool(false)
        object["lastUpdatedTime"] = .string(Timestamp.rfc3339(now))
    }

    /// CANCELED carries an error message too: terraform reads `errorMessages[0]` on CANCELED.
    mutating func canceled(now: Date) {
        finish(.canceled, now: now)
        object["errorMessages"] = .array([
            TaskMessage.error("prism", 409, 3, "TASK_CANCELED", "Task \(extId) was canceled by the user").json()
        ])
    }

    mutating func set(_ key: String, _ value: JSON) {
        object[key] = value
    }

    private mutating func finish(_ status: Status, now: Date) {
        let time = JSON.string(Timestamp.rfc3339(now))
        if object["startedTime"] == nil { insert("startedTime", time, after: "createdTime") }
        object["status"] = .string(status.rawValue)
        object["isCancelable"] = .bool(false)
        if object["completedTime"] == nil { insert("completedTime", time, after: "startedTime") }
        object["lastUpdatedTime"] = time
    }

    /// Keeps the members in the order Prism Central sends them (times together).
    private mutating func insert(_ key: String, _ value: JSON, after anchor: String) {
        var members = object.members
        let at = (members.firstIndex { $0.key == anchor }).map { $0 + 1 } ?? members.count
        members.insert((key, value), at: at)
        object = JSONObject(members)
    }
}
