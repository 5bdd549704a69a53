import EntityStore
import FoundationEssentials
import PrismAPI

/// Creates `prism.v4.config.Task` documents for task-returning operations. Until the task engine
/// schedules progress, a task is recorded already SUCCEEDED, in the same transaction as its
/// effect (the contract issue allows completion at once).
struct TaskLedger: Sendable {
    static let idPrefix = "ZXJnb24=:"

    struct Affected {
        var extId: String
        var rel: String
        var name: String?
    }

    static func newTaskId() -> String {
        idPrefix + UUID().uuidString.lowercased()
    }

    func record(
        in tx: StoreTransaction, extId: String, operation: PrismAPI.Operation, affected: [Affected],
        completionDetails: [(String, String)], owner: Principal, now: Date
    ) throws {
        let time = Timestamp.rfc3339(now)
        var doc = #"{"extId":"# + JSON.quoted(extId)
        doc += #","operation":"# + JSON.quoted(operation.operationId)
        doc += #","operationDescription":"# + JSON.quoted(operation.summary ?? operation.operationId)
        doc += #","status":"SUCCEEDED","progressPercentage":100"#
        doc += #","createdTime":"\#(time)","startedTime":"\#(time)","completedTime":"\#(time)","lastUpdatedTime":"\#(time)""#
        doc += #","entitiesAffected":["#
        for (i, a) in affected.enumerated() {
            if i > 0 { doc += "," }
            doc += #"{"extId":"# + JSON.quoted(a.extId) + #","rel":"# + JSON.quoted(a.rel)
            if let name = a.name { doc += #","name":"# + JSON.quoted(name) }
            doc += #","$objectType":"prism.v4.config.EntityReference","$reserved":{"$fv":"v4.r4"}}"#
        }
        doc += #"],"completionDetails":["#
        for (i, (name, value)) in completionDetails.enumerated() {
            if i > 0 { doc += "," }
            doc += #"{"name":"# + JSON.quoted(name) + #","value":"# + JSON.quoted(value)
                + #","$objectType":"common.v1.config.KVPair","$reserved":{"$fv":"v1.r0"}}"#
        }
        doc += #"],"errorMessages":[],"warnings":[],"subTasks":[],"clusterExtIds":[]"#
        doc += #","isCancelable":false,"isBackgroundTask":false"#
        doc += #","ownedBy":{"extId":"# + JSON.quoted(owner.extId) + #","name":"# + JSON.quoted(owner.name)
            + #","$objectType":"prism.v4.config.OwnerReference","$reserved":{"$fv":"v4.r4"}}"#
        doc += #","$objectType":"prism.v4.config.Task"}"#
        try tx.upsertTask(extId: extId, status: "SUCCEEDED", dueAt: nil, effect: nil, document: doc)
    }
}
