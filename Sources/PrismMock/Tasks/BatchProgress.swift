import EntityStore
import FoundationEssentials
import OData
import PrismAPI

/// A batch task's effect: `{"batch":{…,"jobs":[…]}}`. The batch finishes once every job did:
/// SUCCEEDED when all succeeded, FAILED (with the first failure as its error) otherwise, and the
/// stored `prism.v4.operations.Batch` gets its counts and completion status in the same write.
enum BatchProgress {
    static let batchKind = "prism:operations/batches"

    static func isBatch(_ effect: String?) -> Bool {
        effect?.hasPrefix(#"{"batch":"#) ?? false
    }

    static func isBatch(_ effect: JSON) -> Bool {
        effect["batch"] != nil
    }

    static func jobs(_ effect: JSON) -> [BatchJob] {
        (effect["batch"]?["jobs"]?.arrayValue ?? []).compactMap(BatchJob.init(json:))
    }

    static func effect(batchExtId: String, size: Int, stopped: Bool, jobs: [BatchJob]) -> String {
        JSON.object(
            JSONObject([
                (
                    "batch",
                    .object(
                        JSONObject([
                            ("batchExtId", .string(batchExtId)), ("size", .int(Int64(size))),
                            ("stopped", .bool(stopped)),
                            ("jobs", .array(jobs.map { $0.json() })),
                        ]))
                )
            ])
        ).text
    }

    static func summary(_ jobs: [BatchJob]) -> JSON {
        .object(
            JSONObject([
                ("numberOfJobs", .int(Int64(jobs.count))),
                ("numberOfJobsSuccessful", .int(Int64(jobs.count { $0.status == .succeeded }))),
                ("numberOfJobsFailed", .int(Int64(jobs.count { $0.status == .failed }))),
                ("$objectType", .string("prism.v4.config.TaskBatchSummary")), ("$reserved", TaskDocument.reserved),
            ]))
    }

    /// Returns false (after updating progress) while a job is still pending.
    static func finishIfDone(_ doc: inout TaskDocument, effect: JSON, in tx: StoreTransaction, now: Date) throws -> Bool
    {
        let jobs = try self.jobs(effect).map { try $0.resolved { try tx.task(extId: $0) } }
        doc.set("batchSummary", summary(jobs))
        let pending = jobs.count { $0.status == .pending }
        if pending > 0 {
            doc.run(progress: (jobs.count - pending) * 100 / max(1, jobs.count), now: now)
            return false
        }
        // Every job ran to its end, whatever the outcome.
        doc.set("progressPercentage", .int(100))
        let failed = jobs.filter { $0.status == .failed }
        let stopped = effect["batch"]?["stopped"]?.boolValue ?? false
        let batchExtId = effect["batch"]?["batchExtId"]?.stringValue ?? ""
        if failed.isEmpty && !stopped {
            doc.succeed(completionDetails: [("batchExtId", batchExtId)], now: now)
        } else {
            let first = failed.first?.errorMessages.first?.message ?? "unknown error"
            var text = "\(failed.count) of \(jobs.count) batch jobs failed; first: \(first)"
            if stopped { text += " (shouldStopOnError: the remaining items were not run)" }
            doc.fail([.error("prism", 500, 5, "BATCH_JOBS_FAILED", text, [("batchExtId", batchExtId)])], now: now)
        }
        try finishBatchEntity(batchExtId, jobs: jobs, stopped: stopped, in: tx, now: now)
        return true
    }

    /// A canceled batch task leaves its `Batch` CANCELLED (the enum's spelling), counting the jobs
    /// that had finished.
    static func cancel(effect: String?, in tx: StoreTransaction, now: Date) throws {
        guard let text = effect, isBatch(text), let json = try? JSON.parse(text) else { return }
        let jobs = try self.jobs(json).map { try $0.resolved { try tx.task(extId: $0) } }
        let batchExtId = json["batch"]?["batchExtId"]?.stringValue ?? ""
        try finishBatchEntity(
            batchExtId, jobs: jobs.filter { $0.status != .pending }, stopped: false, in: tx, now: now,
            status: "CANCELLED")
    }

    private static func finishBatchEntity(
        _ extId: String, jobs: [BatchJob], stopped: Bool, in tx: StoreTransaction, now: Date, status: String? = nil
    ) throws {
        guard let current = try tx.get(namespace: "prism", kind: batchKind, extId: extId),
            var doc = (try? JSON.parse(current.document))?.objectValue
        else { return }
        let ok = jobs.count { $0.status == .succeeded }
        let failed = jobs.count - ok
        let completion =
            status ?? (failed == 0 && !stopped ? "SUCCEEDED" : (ok == 0 ? "FAILED" : "PARTIALLY_SUCCEEDED"))
        doc["endTime"] = .string(Timestamp.rfc3339(now))
        doc["successCount"] = .int(Int64(ok))
        doc["failedCount"] = .int(Int64(failed))
        doc["completionStatus"] = .string(completion)
        doc["executionStatus"] = .string("COMPLETED")
        _ = try tx.replace(
            namespace: "prism", kind: batchKind, extId: extId, document: JSON.object(doc).text,
            expectedRevision: current.revision)
    }
}
