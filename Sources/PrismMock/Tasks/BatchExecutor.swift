import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// `POST /api/prism/v4.x/operations/$actions/batch` (`submitBatch`, sdk-contract.md §h): runs each
/// item through the in-process router with the batch's credentials, the item's headers and a
/// per-item `NTNX-Request-Id`, so validation, ETags and idempotency apply as for a single call.
/// Items run `chunkSize` at a time; with `shouldStopOnError`, no chunk starts after one that
/// failed. The batch task finishes when every item's sub-task did (see `BatchProgress`).
struct BatchExecutor: Sendable {
    let env: AppEnvironment
    let router: InProcessRouter

    /// The batch's credentials and client identity, copied onto every item.
    private static let inheritedHeaders = [
        "Authorization", "X-ntnx-api-key", "Cookie", "Host", "User-Agent",
        "X-Ntnx-Project",
    ]

    func submit(_ ctx: RequestContext) throws -> HTTPResponse {
        let spec = try BatchRequest(try env.engine.requestObject(ctx), path: String(ctx.request.path))
        let now = env.clock()
        let batchExtId = UUID().uuidString.lowercased()
        let taskId = TaskLedger.newTaskId()
        var doc = TaskDocument.queued(
            extId: taskId, operation: ctx.operation.operationId,
            description: ctx.operation.summary ?? ctx.operation.operationId,
            affected: [.init(extId: batchExtId, rel: "prism:operations:batch", name: spec.name)], owner: ctx.user,
            clusterExtIds: [], now: now)
        doc.run(progress: 0, now: now)
        doc.set("batchSummary", BatchProgress.summary([]))
        let batch = JSONObject([
            ("extId", .string(batchExtId)), ("name", .string(spec.name)), ("ownerUuid", .string(ctx.user.extId)),
            ("startTime", .string(Timestamp.rfc3339(now))), ("size", .int(Int64(spec.items.count))),
            ("successCount", .int(0)), ("failedCount", .int(0)), ("executionStatus", .string("IN_PROGRESS")),
            ("shouldStopOnError", .bool(spec.shouldStopOnError)), ("$objectType", .string("prism.v4.operations.Batch")),
        ])
        let running = doc
        try env.store.write { tx in
            try tx.insert(
                NewEntity(
                    namespace: "prism", kind: BatchProgress.batchKind, extId: batchExtId, owner: ctx.user.name,
                    document: JSON.object(batch).text))
            try tx.upsertTask(
                extId: taskId, status: "RUNNING", dueAt: nil,
                effect: BatchProgress.effect(batchExtId: batchExtId, size: spec.items.count, stopped: false, jobs: []),
                document: running.text)
        }

        var jobs: [BatchJob] = []
        var stopped = false
        var index = 0
        while index < spec.items.count {
            let end = min(index + spec.chunkSize, spec.items.count)
            let chunk = (index..<end).map { run(spec.items[$0], index: $0, spec: spec, ctx: ctx) }
            jobs += chunk
            index = end
            if spec.shouldStopOnError, index < spec.items.count {
                let outcome = try env.store.read { view in
                    try chunk.map { try $0.resolved { try view.task(extId: $0) } }
                }
                if outcome.contains(where: { $0.status == .failed }) {
                    stopped = true
                    break
                }
            }
        }
        try finish(taskId: taskId, batchExtId: batchExtId, size: spec.items.count, stopped: stopped, jobs: jobs)
        env.engine.tasks.submitted()
        return env.engine.taskAccepted(ctx, taskId)
    }

    /// Records the jobs, links the sub-tasks both ways and, in immediate mode, finishes the batch.
    private func finish(taskId: String, batchExtId: String, size: Int, stopped: Bool, jobs: [BatchJob]) throws {
        let effect = BatchProgress.effect(batchExtId: batchExtId, size: size, stopped: stopped, jobs: jobs)
        let runner = TaskRunner(env.config.current)
        let parentRef = BatchExecutor.reference(taskId)
        try env.store.write { tx in
            guard let row = try tx.task(extId: taskId), var doc = TaskDocument(text: row.document) else { return }
            let subTasks = jobs.compactMap(\.subTask)
            doc.set("subTasks", .array(subTasks.map(BatchExecutor.reference)))
            doc.set("numberOfSubtasks", .int(Int64(subTasks.count)))
            for id in subTasks {
                guard let sub = try tx.task(extId: id), var subDoc = TaskDocument(text: sub.document) else { continue }
                subDoc.set("parentTask", parentRef)
                subDoc.set("rootTask", parentRef)
                try tx.upsertTask(
                    extId: id, status: sub.status, dueAt: sub.dueAt, effect: sub.effect, document: subDoc.text)
            }
            var due: Date? = runner.due(created: tx.now, stage: 3, now: tx.now)
            if runner.mode == .immediate, try runner.complete(&doc, effect: effect, in: tx, now: tx.now) { due = nil }
            try tx.upsertTask(
                extId: taskId, status: doc.status?.rawValue ?? "RUNNING", dueAt: due, effect: effect,
                document: doc.text)
        }
    }

    static func reference(_ taskId: String) -> JSON {
        .object(
            JSONObject([
                ("extId", .string(taskId)),
                ("href", .string("/api/prism/v4.4/config/tasks/" + BatchRequest.encodeSegment(taskId))),
                ("rel", .string("subtask")), ("$objectType", .string("prism.v4.config.TaskReferenceInternal")),
                ("$reserved", TaskDocument.reserved),
            ]))
    }

    private func run(_ item: BatchRequest.Item, index: Int, spec: BatchRequest, ctx: RequestContext) -> BatchJob {
        let created = Timestamp.rfc3339(env.clock())
        let jobId = UUID().uuidString.lowercased()
        let path: String
        switch spec.target(for: item) {
        case .failure(let missing):
            var job = BatchJob(
                extId: jobId, name: "\(spec.method) \(spec.uri)", status: .failed, subTask: nil,
                createdTime: created)
            job.completedTime = created
            job.errorMessages = [
                .error(
                    "prism", 400, 6, "INVALID_BATCH_ITEM",
                    "item \(index): metadata.path has no value for {\(missing.name)}")
            ]
            return job
        case .success(let p):
            path = p
        }
        var job = BatchJob(
            extId: jobId, name: "\(spec.method) \(path)", status: .pending, subTask: nil, createdTime: created)
        if path.contains("/$actions/batch") {
            job.status = .failed
            job.errorMessages = [
                .error("prism", 400, 7, "INVALID_BATCH_ITEM", "item \(index): batches cannot be nested")
            ]
            return job
        }
        var headers = HTTPHeaders()
        for name in BatchExecutor.inheritedHeaders {
            if let v = ctx.request.headers[name] { headers.add(name, v) }
        }
        headers.set("Accept", "application/json")
        headers.set("NTNX-Request-Id", ItemRequestId.derive(ctx.request.headers["NTNX-Request-Id"], index: index))
        var body: [UInt8] = []
        if let data = item.data {
            headers.set("Content-Type", "application/json")
            body = Array(data.text.utf8)
        }
        for h in item.headers { headers.set(h.name, h.value) }
        let response = router.handle(
            HTTPRequest(method: spec.method, target: path, headers: headers, body: body), ctx.connection)
        return BatchExecutor.job(job, from: response, index: index)
    }

    /// A 202 names the sub-task; another 2xx succeeded; anything else failed with its v4 error.
    static func job(_ pending: BatchJob, from response: HTTPResponse, index: Int) -> BatchJob {
        var job = pending
        let body = try? JSON.parse(response.body)
        if response.status == 202, let id = body?["data"]?["extId"]?.stringValue, id.hasPrefix(TaskLedger.idPrefix) {
            job.subTask = id
            return job
        }
        job.completedTime = job.createdTime
        if (200..<300).contains(response.status) {
            job.status = .succeeded
            return job
        }
        job.status = .failed
        job.errorMessages = ItemError.messages(body, status: response.status, index: index)
        return job
    }
}
