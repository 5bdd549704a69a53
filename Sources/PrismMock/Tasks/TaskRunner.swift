import EntityStore
import FoundationEssentials
import OData
import PrismAPI

/// Moves one task one step inside a store write. Progression per mode (issue 7 point 2):
/// - timed: QUEUED, RUNNING 33 %, RUNNING 66 %, done, each a third of the delay after creation;
/// - manual: QUEUED, RUNNING 50 %, done, one step per `advance`;
/// - immediate: straight to done, in the transaction that created the task.
/// CANCELING becomes CANCELED on the next step in every mode.
struct TaskRunner {
    let mode: RuntimeSettings.TaskMode
    let delayMilliseconds: Int

    init(_ settings: RuntimeSettings) {
        mode = settings.taskMode
        delayMilliseconds = settings.taskDelayMilliseconds
    }

    /// When a task created at `created` is next due in stage `stage` (1…3) of timed mode; pending
    /// tasks of the other modes are due at once (manual mode ignores the time and steps them all).
    func due(created: Date, stage: Int, now: Date) -> Date {
        guard mode == .timed else { return now }
        return created.addingTimeInterval(Double(delayMilliseconds) * Double(stage) / 3_000)
    }

    /// Writes the task's next state; returns false when the task was not pending.
    @discardableResult
    func step(_ task: StoredTask, in tx: StoreTransaction, now: Date) throws -> Bool {
        guard task.dueAt != nil, var doc = TaskDocument(text: task.document), let status = doc.status else {
            return false
        }
        var due: Date? = nil
        switch status {
        case .queued where mode != .immediate:
            doc.run(progress: mode == .timed ? 33 : 50, now: now)
            due = self.due(created: task.createdAt, stage: 2, now: now)
        case .running where mode == .timed && doc.progress < 66 && !BatchProgress.isBatch(task.effect):
            doc.run(progress: 66, now: now)
            due = self.due(created: task.createdAt, stage: 3, now: now)
        case .queued, .running:
            if try !complete(&doc, effect: task.effect, in: tx, now: now) {
                due = mode == .timed ? now.addingTimeInterval(max(0.005, Double(delayMilliseconds) / 3_000)) : now
            }
        case .canceling:
            doc.canceled(now: now)
            try BatchProgress.cancel(effect: task.effect, in: tx, now: now)
        case .succeeded, .failed, .canceled:
            break
        }
        try tx.upsertTask(
            extId: task.extId, status: doc.status?.rawValue ?? status.rawValue, dueAt: due,
            effect: TaskRunner.kept(task.effect, finished: doc.status?.isFinished ?? false), document: doc.text)
        return true
    }

    /// A finished task's effect is spent (it keeps the rows small); a batch keeps its jobs.
    static func kept(_ effect: String?, finished: Bool) -> String? {
        finished && !BatchProgress.isBatch(effect) ? nil : effect
    }

    /// Finishes the task: applies its effect and succeeds, or fails with the reason the effect is
    /// impossible. A batch task finishes only once all its jobs did; returns false while it waits.
    func complete(_ doc: inout TaskDocument, effect: String?, in tx: StoreTransaction, now: Date) throws -> Bool {
        let json = effect.flatMap { try? JSON.parse($0) } ?? .null
        if BatchProgress.isBatch(json) {
            return try BatchProgress.finishIfDone(&doc, effect: json, in: tx, now: now)
        }
        guard let parsed = TaskEffect(json: json) else {
            doc.succeed(completionDetails: [], now: now)
            return true
        }
        if let problem = try parsed.apply(in: tx) {
            doc.fail([problem], now: now)
        } else {
            doc.succeed(completionDetails: parsed.completionDetails, now: now)
        }
        return true
    }
}
