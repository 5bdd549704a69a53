import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// `prism:config/tasks` and the batch operations: tasks live in their own table, not among the
/// entities, so these operations are served here (sdk-contract.md §g, §h).
struct TaskService: Service {
    let env: AppEnvironment
    let batches: BatchExecutor

    /// nil when the operation is not a task operation.
    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        switch ctx.operation.operationId {
        case "getTaskById": return try get(ctx)
        case "listTasks": return try list(ctx)
        case "cancelTask": return try cancel(ctx)
        case "listTaskEntities": return try affectedEntities(ctx)
        case "listTaskJobs": return try jobs(ctx)
        case "getTaskJobById": return try job(ctx)
        case "submitBatch": return try batches.submit(ctx)
        default: return nil
        }
    }

    private func task(_ ctx: RequestContext, _ extId: String) throws -> StoredTask {
        guard let task = try env.store.read({ try $0.task(extId: extId) }) else {
            throw V4Error.entityNotFound("prism", what: "task", extId: extId)
        }
        return task
    }

    private func get(_ ctx: RequestContext) throws -> HTTPResponse {
        let t = try task(ctx, ctx.parameters["extId"] ?? "")
        let fv = env.contract.fv("prism")
        let query = try ListQuery(ctx, contract: env.contract)
        let body = Envelope.wrap(
            data: Envelope.withReserved(try query.project(t.document), fv: fv),
            metadata: Envelope.metadata(paginated: false), objectType: ctx.operation.responseModel, fv: fv)
        return .json(200, body)
    }

    private func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let query = try ListQuery(ctx, contract: env.contract, side: env.store.taskSideTable)
        let page = try query.fetch(document: \.document, extId: \.extId) { whereSQL, orderBySQL, arguments, limit, offset in
            let p = try env.store.read { view in
                try view.listTasks(
                    whereSQL: TaskListSQL.whereSQL(whereSQL), orderBySQL: TaskListSQL.orderBySQL(orderBySQL),
                    arguments: arguments, limit: limit, offset: offset)
            }
            return (p.tasks, p.totalCount)
        }
        return try query.response(
            ctx, documents: page.rows.map(\.document), total: page.total, fv: env.contract.fv("prism"))
    }

    /// QUEUED/RUNNING → CANCELING now, CANCELED on the next step (at once in immediate mode);
    /// a finished task → 409. A canceled task changes nothing.
    private func cancel(_ ctx: RequestContext) throws -> HTTPResponse {
        let extId = ctx.parameters["taskExtId"] ?? ""
        _ = try task(ctx, extId)
        let runner = TaskRunner(env.config.current)
        let refused: String? = try env.store.write { tx in
            guard let t = try tx.task(extId: extId), var doc = TaskDocument(text: t.document),
                let status = doc.status
            else { return "missing" }
            guard status == .queued || status == .running else { return status.rawValue }
            doc.cancelRequested(now: tx.now)
            var due: Date? = runner.due(created: tx.now, stage: 1, now: tx.now)
            if runner.mode == .immediate {
                doc.canceled(now: tx.now)
                try BatchProgress.cancel(effect: t.effect, in: tx, now: tx.now)
                due = nil
            }
            try tx.upsertTask(
                extId: extId, status: doc.status?.rawValue ?? "CANCELING", dueAt: due, effect: t.effect,
                document: doc.text)
            return nil
        }
        if let refused {
            throw V4Error(
                409, "prism", "TASK_NOT_CANCELABLE",
                "Task \(extId) is \(refused) and can no longer be canceled", detail: 1,
                arguments: [("taskExtId", extId)])
        }
        env.engine.tasks.submitted()
        let fv = env.contract.fv("prism")
        let message = TaskMessage(
            message: "Task \(extId) is being canceled", code: "PRISM-20201",
            errorGroup: "TASK_CANCEL_REQUESTED", severity: "INFO", arguments: [("taskExtId", extId)])
        return .json(
            202,
            Envelope.wrap(
                data: message.json().text, metadata: Envelope.metadata(paginated: false),
                objectType: ctx.operation.responseModel, fv: fv))
    }

    private func affectedEntities(_ ctx: RequestContext) throws -> HTTPResponse {
        let t = try task(ctx, ctx.parameters["taskExtId"] ?? "")
        let items = (try JSON.parse(t.document))["entitiesAffected"]?.arrayValue ?? []
        return listOf(ctx, items.map(\.text), item: "prism.v4.config.EntityReference")
    }

    /// A batch task's jobs with their current outcome; other tasks have none.
    private func resolvedJobs(_ ctx: RequestContext) throws -> [BatchJob] {
        let t = try task(ctx, ctx.parameters["taskExtId"] ?? "")
        let effect = t.effect.flatMap { try? JSON.parse($0) } ?? .null
        let jobs = BatchProgress.jobs(effect)
        return try env.store.read { view in try jobs.map { try $0.resolved { try view.task(extId: $0) } } }
    }

    private func jobs(_ ctx: RequestContext) throws -> HTTPResponse {
        let all = try resolvedJobs(ctx)
        let query = try ListQuery(ctx, contract: env.contract)
        let start = min(all.count, query.page * query.limit)
        let page = all[start..<min(all.count, start + query.limit)]
        // A TaskJob document carries its own `$reserved`.
        return try query.response(
            ctx, documents: page.map { $0.taskJob() }, total: all.count, fv: env.contract.fv("prism"),
            addReserved: false)
    }

    private func job(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = ctx.parameters["extId"] ?? ""
        guard let job = try resolvedJobs(ctx).first(where: { $0.extId == id }) else {
            throw V4Error.entityNotFound("prism", what: "task job", extId: id)
        }
        let fv = env.contract.fv("prism")
        return .json(
            200,
            Envelope.wrap(
                data: job.taskJob(), metadata: Envelope.metadata(paginated: false),
                objectType: ctx.operation.responseModel, fv: fv))
    }

    private func listOf(_ ctx: RequestContext, _ items: [String], item: String) -> HTTPResponse {
        let fv = env.contract.fv("prism")
        let data = items.isEmpty ? nil : "[" + items.joined(separator: ",") + "]"
        let meta = Envelope.metadata(paginated: false, total: items.count)
        return .json(
            200,
            Envelope.wrap(
                data: data, metadata: meta, objectType: ctx.operation.responseModel, fv: fv,
                extra: #","$dataItemDiscriminator":"# + JSON.quoted("List<\(item)>")))
    }
}
