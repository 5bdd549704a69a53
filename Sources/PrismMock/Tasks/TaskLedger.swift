import EntityStore
import FoundationEssentials
import OData
import PrismAPI

/// Creates the `prism.v4.config.Task` of each task-returning operation, with its deferred
/// effect, in the caller's store write. In immediate mode the task also finishes in that write,
/// so it is done before the 202 leaves; otherwise the scheduler moves it.
struct TaskLedger: Sendable {
    static let idPrefix = "ZXJnb24=:"

    let config: RuntimeConfig
    let scheduler: TaskScheduler

    struct Submission {
        var operation: PrismAPI.Operation
        var affected: [TaskDocument.Affected]
        var owner: Principal
        var clusterExtIds: [String] = []
        var effect: TaskEffect
    }

    /// `ZXJnb24=:<uuid>`: base64("ergon"), the prefix real Prism Central task ids carry.
    static func newTaskId() -> String {
        idPrefix + UUID().uuidString.lowercased()
    }

    /// The entity's cluster, for `clusterExtIds` (VMs, subnets, containers name it this way).
    static func clusterExtIds(of document: JSONObject?) -> [String] {
        guard let id = document?["cluster"]?["extId"]?.stringValue else { return [] }
        return [id]
    }

    @discardableResult
    func submit(in tx: StoreTransaction, _ s: Submission, extId: String = TaskLedger.newTaskId()) throws -> String {
        let op = s.operation
        let doc = TaskDocument.queued(
            extId: extId, operation: op.operationId, description: op.summary ?? op.operationId, affected: s.affected,
            owner: s.owner, clusterExtIds: s.clusterExtIds, now: tx.now)
        try store(doc, effect: s.effect.json().text, in: tx)
        return extId
    }

    /// Writes a new task row; finishes it at once in immediate mode.
    func store(_ queued: TaskDocument, effect: String, in tx: StoreTransaction) throws {
        let runner = TaskRunner(config.current)
        var doc = queued
        var due: Date? = runner.due(created: tx.now, stage: 1, now: tx.now)
        if runner.mode == .immediate, try runner.complete(&doc, effect: effect, in: tx, now: tx.now) { due = nil }
        try tx.upsertTask(
            extId: doc.extId, status: doc.status?.rawValue ?? "QUEUED", dueAt: due,
            effect: TaskRunner.kept(effect, finished: due == nil), document: doc.text)
    }

    /// After the creating write committed: lets the timer know a task may be due sooner.
    func submitted() {
        scheduler.wake()
    }
}
