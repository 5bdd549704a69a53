import EntityStore
import FoundationEssentials
import OData
import PrismAPI

/// One item of a batch, as `prism.v4.config.TaskJob` reports it. A job whose item answered 202
/// follows its sub-task: PENDING until the sub-task finishes, then SUCCEEDED or FAILED with the
/// sub-task's errors and affected entities.
struct BatchJob: Sendable {
    enum Status: String, Sendable {
        case pending = "PENDING"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
    }

    var extId: String
    var name: String
    var status: Status
    var subTask: String?
    var createdTime: String
    var completedTime: String?
    var entitiesAffected: [JSON] = []
    var completionDetails: [JSON] = []
    var clusterExtIds: [JSON] = []
    var errorMessages: [TaskMessage] = []

    init(extId: String, name: String, status: Status, subTask: String?, createdTime: String) {
        self.extId = extId
        self.name = name
        self.status = status
        self.subTask = subTask
        self.createdTime = createdTime
    }

    /// The stored form inside the batch task's effect.
    func json() -> JSON {
        var o = JSONObject([
            ("extId", .string(extId)), ("name", .string(name)), ("status", .string(status.rawValue)),
            ("createdTime", .string(createdTime)),
        ])
        if let subTask { o["subTask"] = .string(subTask) }
        if let completedTime { o["completedTime"] = .string(completedTime) }
        if !entitiesAffected.isEmpty { o["entitiesAffected"] = .array(entitiesAffected) }
        if !errorMessages.isEmpty { o["errorMessages"] = .array(errorMessages.map { $0.json() }) }
        return .object(o)
    }

    init?(json: JSON) {
        guard let extId = json["extId"]?.stringValue, let raw = json["status"]?.stringValue,
            let status = Status(rawValue: raw)
        else { return nil }
        self.extId = extId
        self.status = status
        name = json["name"]?.stringValue ?? ""
        subTask = json["subTask"]?.stringValue
        createdTime = json["createdTime"]?.stringValue ?? ""
        completedTime = json["completedTime"]?.stringValue
        entitiesAffected = json["entitiesAffected"]?.arrayValue ?? []
        errorMessages = (json["errorMessages"]?.arrayValue ?? []).compactMap(TaskMessage.init(json:))
    }

    /// The job with its sub-task's outcome folded in, when the sub-task finished.
    func resolved(_ lookup: (String) throws -> StoredTask?) rethrows -> BatchJob {
        guard status == .pending, let subTask else { return self }
        guard let task = try lookup(subTask), let doc = TaskDocument(text: task.document) else {
            var job = self
            job.status = .failed
            job.errorMessages = [.error("prism", 404, 4, "TASK_NOT_FOUND", "sub-task \(subTask) no longer exists")]
            return job
        }
        guard let s = doc.status, s.isFinished else { return self }
        var job = self
        job.status = s == .succeeded ? .succeeded : .failed
        job.completedTime = doc.object["completedTime"]?.stringValue
        job.entitiesAffected = doc.object["entitiesAffected"]?.arrayValue ?? []
        job.completionDetails = doc.object["completionDetails"]?.arrayValue ?? []
        job.clusterExtIds = doc.object["clusterExtIds"]?.arrayValue ?? []
        job.errorMessages = (doc.object["errorMessages"]?.arrayValue ?? []).compactMap(TaskMessage.init(json:))
        if job.status == .failed, job.errorMessages.isEmpty {
            job.errorMessages = [.error("prism", 500, 4, "SUB_TASK_FAILED", "sub-task \(subTask) ended \(s.rawValue)")]
        }
        return job
    }

    /// `prism.v4.config.TaskJob` as `/config/tasks/{id}/jobs` sends it.
    func taskJob() -> String {
        var o = JSONObject([("extId", .string(extId)), ("name", .string(name)), ("status", .string(status.rawValue))])
        o["entitiesAffected"] = .array(entitiesAffected)
        o["errorMessages"] = .array(errorMessages.map { $0.json() })
        o["warnings"] = .array([])
        o["clusterExtIds"] = .array(clusterExtIds)
        o["completionDetails"] = .array(completionDetails)
        o["createdTime"] = .string(createdTime)
        if let completedTime { o["completedTime"] = .string(completedTime) }
        o["$objectType"] = .string("prism.v4.config.TaskJob")
        o["$reserved"] = TaskDocument.reserved
        return JSON.object(o).text
    }
}
