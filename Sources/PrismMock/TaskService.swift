import EntityStore
import HTTPServer
import PrismAPI

/// `prism:config/tasks`: tasks live in their own table, not among the entities, so the task
/// operations are served here. Batches need the batch executor and answer 501 until it exists.
struct TaskService: Service {
    let env: AppEnvironment

    /// nil when the operation is not a task operation.
    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        switch ctx.operation.operationId {
        case "getTaskById": return try get(ctx)
        case "listTasks": return try list(ctx)
        case "cancelTask": return try cancel(ctx)
        case "listTaskEntities": return try affectedEntities(ctx)
        case "listTaskJobs": return try jobs(ctx)
        case "getTaskJobById":
            _ = try task(ctx, ctx.parameters["taskExtId"] ?? "")
            throw V4Error.entityNotFound("prism", what: "task job", extId: ctx.parameters["extId"] ?? "")
        case "submitBatch":
            throw V4Error.notImplemented("prism", "submitBatch is not implemented by pcmock yet: batch items would not run")
        default: return nil
        }
    }

    private func task(_ ctx: RequestContext, _ extId: String) throws -> StoredTask {
        guard let task = try env.store.read({ try $0.task(extId: extId) }) else {
            var e = V4Error.entityNotFound("prism", what: "task", extId: extId)
            e.envelopeObjectType = ctx.operation.responseModel
            throw e
        }
        return task
    }

    private func get(_ ctx: RequestContext) throws -> HTTPResponse {
        let t = try task(ctx, ctx.parameters["extId"] ?? "")
        let fv = env.contract.fv("prism")
        let body = Envelope.wrap(
            data: Envelope.withReserved(t.document, fv: fv), metadata: Envelope.metadata(paginated: false),
            objectType: ctx.operation.responseModel, fv: fv)
        return .json(200, body)
    }

    private func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let query = try ListQuery(ctx, contract: env.contract)
        var page = try env.store.read { view in
            try view.listTasks(
                whereSQL: query.whereSQL, orderBySQL: query.orderBySQL, arguments: query.arguments,
                limit: query.needsEvaluator ? GenericEngine.evaluatorScanLimit : query.limit,
                offset: query.needsEvaluator ? 0 : query.page * query.limit)
        }
        if query.needsEvaluator {
            let (rows, total) = query.evaluate(page.tasks, document: \.document, extId: \.extId)
            page = TaskPage(tasks: rows, totalCount: total)
        }
        let fv = env.contract.fv("prism")
        var data: String? = nil
        if !page.tasks.isEmpty {
            data = "[" + (try page.tasks.map { Envelope.withReserved(try query.project($0.document), fv: fv) })
                .joined(separator: ",") + "]"
        }
        let meta = Envelope.metadata(
            paginated: true, total: page.totalCount,
            links: query.links(origin: ctx.origin, path: ctx.request.path, total: page.totalCount))
        return .json(200, Envelope.wrap(
            data: data, metadata: meta, objectType: ctx.operation.responseModel, fv: fv,
            extra: #","$dataItemDiscriminator":"List<prism.v4.config.Task>""#))
    }

    /// Tasks settle before the 202 is sent today, so every cancel meets a finished task.
    private func cancel(_ ctx: RequestContext) throws -> HTTPResponse {
        let t = try task(ctx, ctx.parameters["taskExtId"] ?? "")
        var e = V4Error(409, "prism", "TASK_NOT_CANCELABLE",
                        "Task \(t.extId) is \(t.status) and can no longer be canceled", detail: 1,
                        arguments: [("taskExtId", t.extId)])
        e.envelopeObjectType = ctx.operation.responseModel
        throw e
    }

    private func affectedEntities(_ ctx: RequestContext) throws -> HTTPResponse {
        let t = try task(ctx, ctx.parameters["taskExtId"] ?? "")
        let items = (try JSON.parse(t.document))["entitiesAffected"]?.arrayValue ?? []
        return listOf(ctx, items.map(\.text), item: "prism.v4.config.EntityReference")
    }

    private func jobs(_ ctx: RequestContext) throws -> HTTPResponse {
        _ = try task(ctx, ctx.parameters["taskExtId"] ?? "")
        return listOf(ctx, [], item: "prism.v4.config.TaskJob")
    }

    private func listOf(_ ctx: RequestContext, _ items: [String], item: String) -> HTTPResponse {
        let fv = env.contract.fv("prism")
        let data = items.isEmpty ? nil : "[" + items.joined(separator: ",") + "]"
        let meta = Envelope.metadata(paginated: false, total: items.count)
        return .json(200, Envelope.wrap(
            data: data, metadata: meta, objectType: ctx.operation.responseModel, fv: fv,
            extra: #","$dataItemDiscriminator":"# + JSON.quoted("List<\(item)>")))
    }
}
