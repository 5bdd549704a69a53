import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// Serves every catalog operation from the store by its role: list, get, create, update,
/// delete, actions and singletons. Services with real Prism behaviour sit in front of it for
/// the operations they own.
struct GenericEngine: Sendable {
    let contract: Contract
    let store: EntityStore
    let tasks: TaskLedger
    let clock: @Sendable () -> Date

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse {
        switch ctx.role.kind {
        case .list: return try list(&ctx)
        case .get: return try get(&ctx)
        case .singletonGet: return try singletonGet(&ctx)
        case .create: return try create(&ctx)
        case .update: return try update(&ctx)
        case .singletonPut: return try singletonPut(&ctx)
        case .delete: return try delete(&ctx)
        case .action(let verb, let onEntity): return try action(&ctx, verb: verb, onEntity: onEntity)
        case .unsupported(let reason):
            throw V4Error.notImplemented(ctx.namespace, "\(ctx.operation.operationId) is not implemented by pcmock: \(reason)")
        }
    }

    // MARK: Reads

    func get(_ ctx: inout RequestContext) throws -> HTTPResponse {
        let extId = ctx.parameter(ctx.role.itemParameter) ?? ""
        try requireParent(ctx)
        guard let entity = try store.get(namespace: ctx.namespace, kind: ctx.role.collection, extId: extId),
            entity.parentExtId == ctx.parameter(ctx.role.parentParameter)
        else { throw notFound(ctx, extId) }
        return entityResponse(ctx, entity, status: 200)
    }

    func singletonGet(_ ctx: inout RequestContext) throws -> HTTPResponse {
        try requireParent(ctx)
        let key = ctx.parameter(ctx.role.parentParameter) ?? GenericEngine.singletonKey
        guard let entity = try store.get(namespace: ctx.namespace, kind: ctx.role.collection, extId: key) else {
            throw V4Error(404, ctx.namespace, "ENTITY_NOT_FOUND",
                          "\(ctx.operation.operationId): nothing is configured at \(ctx.request.path)", detail: 1)
        }
        return entityResponse(ctx, entity, status: 200)
    }

    func list(_ ctx: inout RequestContext) throws -> HTTPResponse {
        try requireParent(ctx)
        let query = try ListQuery(ctx, contract: contract, side: store.sideTable(kind: ctx.role.collection))
        let c = ctx
        let fv = contract.fv(ctx.namespace)
        guard query.needsEvaluator else {
            // The SQL answers the filter: each document goes from the store's row into the body.
            return try query.response(ctx, fv: fv) { body in
                try store.listDocuments(
                    namespace: c.namespace, kind: c.role.collection, parentExtId: c.parameter(c.role.parentParameter),
                    whereSQL: query.whereSQL, smallKindWhereSQL: query.smallKindWhereSQL, orderBySQL: query.orderBySQL,
                    arguments: query.arguments,
                    limit: query.limit, offset: query.page * query.limit, expect: { body.expect($0) },
                    document: { try body.append($0) })
            }
        }
        let page = try query.fetch(document: \.document, extId: \.extId) { whereSQL, orderBySQL, arguments, limit, offset in
            let p = try store.list(
                namespace: c.namespace, kind: c.role.collection, parentExtId: c.parameter(c.role.parentParameter),
                whereSQL: whereSQL, orderBySQL: orderBySQL, arguments: arguments, limit: limit, offset: offset)
            return (p.entities, p.totalCount)
        }
        return try query.response(ctx, documents: page.rows.map(\.document), total: page.total, fv: fv)
    }

    // MARK: Writes
    //
    // A task-returning operation checks the request now (parent, If-Match, body) and records
    // the change as the task's effect; the task applies it when it succeeds (`TaskEffect`).
    // Synchronous operations write at once.

    func create(_ ctx: inout RequestContext) throws -> HTTPResponse {
        let body = try requestObject(ctx)
        let modelName = contract.itemModel(of: ctx.operation)
        let model = modelName.flatMap { contract.catalog.model(named: $0, in: ctx.namespace) }
        let extId = UUID().uuidString.lowercased()
        let now = clock()
        let doc = DocumentBuilder(model: model, objectType: model?.objectType ?? modelName ?? "")
            .create(from: body, extId: extId, now: now)
        let parent = ctx.parameter(ctx.role.parentParameter)
        let text = JSON.object(doc).text
        let ctxCopy = ctx
        let response = try store.write { tx -> HTTPResponse in
            try requireParent(ctxCopy, in: tx)
            let row = NewEntity(
                namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: extId, parentExtId: parent,
                owner: ctxCopy.user.name, document: text)
            guard ctxCopy.operation.returnsTask else {
                return try committed(ctxCopy, tx, entityResponse(ctxCopy, try tx.insert(row), status: 201))
            }
            var effect = TaskEffect(change: .insert)
            effect.namespace = row.namespace
            effect.kind = row.kind
            effect.extId = extId
            effect.parentExtId = parent
            effect.parentKind = parent == nil ? nil : ctxCopy.role.parentCollection
            effect.document = text
            effect.owner = row.owner
            effect.completionDetails = [(RelName.completionName(ctxCopy.role.collection), extId)]
            let taskId = try submit(ctxCopy, in: tx, effect: effect, name: doc["name"]?.stringValue, document: doc)
            return try committed(ctxCopy, tx, taskAccepted(ctxCopy, taskId))
        }
        return written(ctx, response)
    }

    /// `adjust` lets a service keep members the operation does not change (a VM PUT keeps the
    /// VM's devices and categories, which have operations of their own).
    func update(
        _ ctx: inout RequestContext, adjust: (_ existing: JSONObject, _ doc: inout JSONObject) -> Void = { _, _ in }
    ) throws -> HTTPResponse {
        let extId = ctx.parameter(ctx.role.itemParameter) ?? ""
        let body = try requestObject(ctx)
        let ifMatch = ctx.request.headers["If-Match"]
        let model = contract.itemModel(of: ctx.operation).flatMap { contract.catalog.model(named: $0, in: ctx.namespace) }
        let now = clock()
        let ctxCopy = ctx
        let response = try store.write { tx -> HTTPResponse in
            let current = try existing(ctxCopy, extId, ifMatch: ifMatch, in: tx)
            let existing = try JSON.parse(current.document).objectValue ?? JSONObject()
            var doc = DocumentBuilder(model: model, objectType: existing["$objectType"]?.stringValue ?? model?.objectType ?? "")
                .update(existing: existing, with: body, now: now)
            adjust(existing, &doc)
            if ctxCopy.operation.returnsTask {
                let effect = effectOn(current, .replace, document: JSON.object(doc).text)
                let taskId = try submit(ctxCopy, in: tx, effect: effect, name: doc["name"]?.stringValue, document: doc)
                return try committed(ctxCopy, tx, taskAccepted(ctxCopy, taskId))
            }
            let outcome = try tx.replace(
                namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: extId,
                document: JSON.object(doc).text, expectedRevision: current.revision)
            guard case .ok = outcome else { throw preconditionFailed(ctxCopy, extId) }
            guard let updated = try tx.get(namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: extId) else {
                throw notFound(ctxCopy, extId)
            }
            return try committed(ctxCopy, tx, syncWriteResponse(ctxCopy, updated))
        }
        return written(ctx, response)
    }

    func singletonPut(_ ctx: inout RequestContext) throws -> HTTPResponse {
        let body = try requestObject(ctx)
        let key = ctx.parameter(ctx.role.parentParameter) ?? GenericEngine.singletonKey
        let modelName: String? = if case .model(let m) = ctx.operation.requestBody { m } else { nil }
        let model = modelName.flatMap { contract.catalog.model(named: $0, in: ctx.namespace) }
        let now = clock()
        let ctxCopy = ctx
        let response = try store.write { tx -> HTTPResponse in
            try requireParent(ctxCopy, in: tx)
            let builder = DocumentBuilder(model: model, objectType: model?.objectType ?? modelName ?? "")
            let current = try tx.get(namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: key)
            var doc: JSONObject
            if let current {
                try checkIfMatch(ctxCopy.request.headers["If-Match"], current, ctxCopy)
                let existing = try JSON.parse(current.document).objectValue ?? JSONObject()
                doc = builder.update(existing: existing, with: body, now: now)
            } else {
                doc = builder.create(from: body, extId: key, now: now)
            }
            doc["extId"] = nil
            let text = JSON.object(doc).text
            let parent = ctxCopy.parameter(ctxCopy.role.parentParameter)
            if ctxCopy.operation.returnsTask {
                var effect: TaskEffect
                if let current {
                    effect = effectOn(current, .replace, document: text)
                } else {
                    effect = TaskEffect(change: .insert)
                    effect.namespace = ctxCopy.namespace
                    effect.kind = ctxCopy.role.collection
                    effect.extId = key
                    effect.parentExtId = parent
                    effect.parentKind = parent == nil ? nil : ctxCopy.role.parentCollection
                    effect.document = text
                    effect.owner = ctxCopy.user.name
                }
                var affected: [TaskDocument.Affected] = []
                if let parent, let pc = ctxCopy.role.parentCollection {
                    affected.append(.init(extId: parent, rel: RelName.forCollection(pc), name: nil))
                }
                let taskId = try submit(ctxCopy, in: tx, effect: effect, affected: affected, document: doc)
                return try committed(ctxCopy, tx, taskAccepted(ctxCopy, taskId))
            }
            if let current {
                guard case .ok = try tx.replace(
                    namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: key, document: text,
                    expectedRevision: current.revision)
                else { throw preconditionFailed(ctxCopy, key) }
                let updated = try tx.get(namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: key)
                return try committed(ctxCopy, tx, syncWriteResponse(ctxCopy, updated ?? current))
            }
            let inserted = try tx.insert(NewEntity(
                namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: key, parentExtId: parent,
                owner: ctxCopy.user.name, document: text))
            return try committed(ctxCopy, tx, syncWriteResponse(ctxCopy, inserted))
        }
        return written(ctx, response)
    }

    func delete(_ ctx: inout RequestContext) throws -> HTTPResponse {
        let extId = ctx.parameter(ctx.role.itemParameter) ?? ""
        let ifMatch = ctx.request.headers["If-Match"]
        let ctxCopy = ctx
        let response = try store.write { tx -> HTTPResponse in
            let current = try existing(ctxCopy, extId, ifMatch: ifMatch, in: tx)
            if ctxCopy.operation.returnsTask {
                let doc = (try? JSON.parse(current.document))?.objectValue
                let effect = effectOn(current, .delete)
                let taskId = try submit(ctxCopy, in: tx, effect: effect, name: doc?["name"]?.stringValue, document: doc)
                return try committed(ctxCopy, tx, taskAccepted(ctxCopy, taskId))
            }
            guard case .ok = try tx.delete(
                namespace: ctxCopy.namespace, kind: ctxCopy.role.collection, extId: extId,
                expectedRevision: current.revision, cascade: true)
            else { throw preconditionFailed(ctxCopy, extId) }
            if ctxCopy.operation.responseDataTypes.isEmpty { return try committed(ctxCopy, tx, HTTPResponse(status: 204)) }
            return try committed(
                ctxCopy, tx, messagesResponse(ctxCopy, "\(ctxCopy.operation.operationId): \(extId) deleted"))
        }
        return written(ctx, response)
    }

    func action(_ ctx: inout RequestContext, verb: String, onEntity: Bool) throws -> HTTPResponse {
        guard ctx.operation.returnsTask else {
            throw V4Error.notImplemented(
                ctx.namespace, "\(ctx.operation.operationId) ($actions/\(verb)) is not implemented by pcmock")
        }
        // A body, when the operation takes one, must still be valid.
        if ctx.operation.requestBody != nil, !ctx.request.body.isEmpty { _ = try requestObject(ctx) }
        let extId = ctx.parameter(ctx.role.itemParameter)
        let ifMatch = ctx.request.headers["If-Match"]
        let ctxCopy = ctx
        let response = try store.write { tx -> HTTPResponse in
            if onEntity, let extId {
                let current = try existing(ctxCopy, extId, ifMatch: ifMatch, in: tx)
                let doc = (try? JSON.parse(current.document))?.objectValue
                // The entity must still be there when the task runs; its revision may move meanwhile.
                var effect = effectOn(current, .check)
                effect.expectedRevision = nil
                if ctxCopy.role.collection == VmPowerStates.collection, var vm = doc,
                    let outcome = VmPowerStates.outcome(
                        verb: verb, current: vm["powerState"]?.stringValue, vmName: vm["name"]?.stringValue ?? extId)
                {
                    switch outcome {
                    case .transition(let state):
                        vm["powerState"] = .string(state)
                        // Against the revision the request saw: a concurrent update fails the task
                        // rather than being overwritten by this one.
                        effect = effectOn(current, .replace, document: JSON.object(vm).text)
                    case .invalid(let message):
                        effect.fault = TaskFault(message: message)
                    }
                }
                let taskId = try submit(ctxCopy, in: tx, effect: effect, name: doc?["name"]?.stringValue, document: doc)
                return try committed(ctxCopy, tx, taskAccepted(ctxCopy, taskId))
            }
            try requireParent(ctxCopy, in: tx)
            let taskId = try submit(ctxCopy, in: tx, effect: TaskEffect(change: .none), affected: [], document: nil)
            return try committed(ctxCopy, tx, taskAccepted(ctxCopy, taskId))
        }
        return written(ctx, response)
    }

    /// After a write committed: a 202 means a task is new, which the scheduler must know (after
    /// the commit, so that it sees the task).
    private func written(_ ctx: RequestContext, _ response: HTTPResponse) -> HTTPResponse {
        if response.status == 202 { tasks.submitted() }
        return response
    }

    /// An effect on an existing entity, checked against the revision the request saw.
    private func effectOn(_ current: StoredEntity, _ change: TaskEffect.Change, document: String? = nil) -> TaskEffect {
        var effect = TaskEffect(change: change)
        effect.namespace = current.namespace
        effect.kind = current.kind
        effect.extId = current.extId
        effect.expectedRevision = current.revision
        effect.document = document
        return effect
    }

    /// Records the operation's task, affecting the entity the effect names unless told otherwise.
    private func submit(
        _ ctx: RequestContext, in tx: StoreTransaction, effect: TaskEffect, name: String? = nil,
        affected: [TaskDocument.Affected]? = nil, document: JSONObject?
    ) throws -> String {
        var effect = effect
        if let fault = ctx.taskFault { effect.fault = fault }
        let entities = affected ?? [.init(extId: effect.extId, rel: RelName.forCollection(effect.kind), name: name)]
        return try tasks.submit(in: tx, TaskLedger.Submission(
            operation: ctx.operation, affected: entities, owner: ctx.user,
            clusterExtIds: TaskLedger.clusterExtIds(of: document), effect: effect))
    }

    // MARK: Helpers

    static let singletonKey = "-"

    /// The response of a write, after the request's commit hooks (idempotency record) joined
    /// the same transaction.
    private func committed(_ ctx: RequestContext, _ tx: StoreTransaction, _ response: HTTPResponse) throws -> HTTPResponse {
        try ctx.runCommitHooks(in: tx, response)
        return response
    }

    private func itemFV(_ ctx: RequestContext) -> String {
        contract.fv(ctx.namespace)
    }

    func entityResponse(_ ctx: RequestContext, _ entity: StoredEntity, status: Int) -> HTTPResponse {
        let etag = ETag.make(extId: entity.extId, revision: entity.revision)
        if status == 200, ctx.request.method == "GET" || ctx.request.method == "HEAD",
            let inm = ctx.request.headers["If-None-Match"], ETag.noneMatchHits(inm, current: etag)
        {
            var headers = HTTPHeaders()
            headers.add("ETag", etag)
            return HTTPResponse(status: 304, headers: headers)
        }
        let body = Envelope.entityBodies.body(
            document: entity.document, etag: etag, objectType: ctx.operation.responseModel,
            fv: contract.fv(ctx.namespace))
        // Built whole: two appends to an empty field list allocate twice.
        let headers = HTTPHeaders([("ETag", etag), ("Content-Type", "application/json")])
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// Synchronous updates answer with the entity, or with messages when that is what the
    /// operation declares (`list[AppMessage]`, `common.v1.config.Message`).
    private func syncWriteResponse(_ ctx: RequestContext, _ entity: StoredEntity) -> HTTPResponse {
        let types = ctx.operation.responseDataTypes
        if types.isEmpty || types.contains(where: { $0.contains(".error.AppMessage") || $0 == "common.v1.config.Message" }) {
            return messagesResponse(ctx, "\(ctx.operation.operationId): \(entity.extId) updated")
        }
        return entityResponse(ctx, entity, status: 200)
    }

    private func messagesResponse(_ ctx: RequestContext, _ text: String) -> HTTPResponse {
        let ns = ctx.namespace
        let fv = contract.fv(ns)
        let types = ctx.operation.responseDataTypes
        let data: String
        if types.contains("common.v1.config.Message") {
            data = #"{"code":"\#(ns.uppercased())-20000","message":"# + JSON.quoted(text)
                + #","locale":"en_US","severity":"INFO","$objectType":"common.v1.config.Message","$reserved":{"$fv":"v1.r0"}}"#
        } else {
            data = #"[{"message":"# + JSON.quoted(text) + #","severity":"INFO","code":"\#(ns.uppercased())-20000","locale":"en_US","#
                + #""$objectType":"\#(ns).v4.error.AppMessage","$reserved":{"$fv":"\#(fv)"}}]"#
        }
        let extra = data.hasPrefix("[") ? #","$dataItemDiscriminator":"List<\#(ns).v4.error.AppMessage>""# : ""
        return .json(200, Envelope.wrap(
            data: data, metadata: Envelope.metadata(paginated: false), objectType: ctx.operation.responseModel, fv: fv,
            extra: extra))
    }

    /// The 202 a task-returning operation answers: a `TaskReference` in the operation's envelope.
    func taskAccepted(_ ctx: RequestContext, _ taskId: String) -> HTTPResponse {
        let body = Envelope.wrap(
            data: Envelope.taskReference(taskId), metadata: Envelope.metadata(paginated: false),
            objectType: ctx.operation.responseModel, fv: contract.fv(ctx.namespace))
        return .json(202, body)
    }

    /// The body as a JSON object, validated against the operation's request model.
    func requestObject(_ ctx: RequestContext) throws -> JSONObject {
        guard !ctx.request.body.isEmpty else {
            if ctx.operation.requestBodyRequired || ctx.operation.requestBody != nil {
                throw V4Error.badRequest(ctx.namespace, "\(ctx.operation.operationId) needs a JSON request body")
            }
            return JSONObject()
        }
        let value: JSON
        do {
            value = try JSON.parse(ctx.request.body)
        } catch {
            throw V4Error.schema(ctx.namespace, path: String(ctx.request.path), [
                ValidationProblem(attributePath: "$", message: "\(error)")
            ])
        }
        if let type = ctx.operation.requestBody {
            let problems = BodyValidator(catalog: contract.catalog, namespace: ctx.namespace).validate(value, as: type)
            if !problems.isEmpty { throw V4Error.schema(ctx.namespace, path: String(ctx.request.path), problems) }
        }
        guard case .object(let object) = value else {
            throw V4Error.schema(ctx.namespace, path: String(ctx.request.path), [
                ValidationProblem(attributePath: "$", message: "the body must be a JSON object")
            ])
        }
        return object
    }

    private func requireParent(_ ctx: RequestContext) throws {
        guard let parent = ctx.parameter(ctx.role.parentParameter), let collection = ctx.role.parentCollection else { return }
        guard try store.get(namespace: ctx.namespace, kind: collection, extId: parent) != nil else {
            throw V4Error.entityNotFound(ctx.namespace, what: RelName.forCollection(collection), extId: parent)
        }
    }

    private func requireParent(_ ctx: RequestContext, in tx: StoreTransaction) throws {
        guard let parent = ctx.parameter(ctx.role.parentParameter), let collection = ctx.role.parentCollection else { return }
        guard try tx.get(namespace: ctx.namespace, kind: collection, extId: parent) != nil else {
            throw V4Error.entityNotFound(ctx.namespace, what: RelName.forCollection(collection), extId: parent)
        }
    }

    /// The entity a request names, under the parent its path names, with `If-Match` checked:
    /// the read-check half of every read-check-write, inside the write's own transaction.
    /// The entity the request names, inside the write: its parent must exist and own it (404
    /// otherwise), and `If-Match`, when sent, must match its ETag (412). Services that act on an
    /// entity of the operation's own collection use it too.
    func existing(
        _ ctx: RequestContext, _ extId: String, ifMatch: String?, in tx: StoreTransaction
    ) throws -> StoredEntity {
        try requireParent(ctx, in: tx)
        guard let current = try tx.get(namespace: ctx.namespace, kind: ctx.role.collection, extId: extId),
            current.parentExtId == ctx.parameter(ctx.role.parentParameter)
        else { throw notFound(ctx, extId) }
        try checkIfMatch(ifMatch, current, ctx)
        return current
    }

    private func checkIfMatch(_ header: String?, _ current: StoredEntity, _ ctx: RequestContext) throws {
        guard let header else { return }
        guard ETag.matches(header, entity: current) else { throw preconditionFailed(ctx, current.extId) }
    }

    private func notFound(_ ctx: RequestContext, _ extId: String) -> V4Error {
        V4Error.entityNotFound(ctx.namespace, what: RelName.forCollection(ctx.role.collection), extId: extId)
    }

    func preconditionFailed(_ ctx: RequestContext, _ extId: String) -> V4Error {
        V4Error(
            412, ctx.namespace, "ETAG_MISMATCH",
            "If-Match does not match the current ETag of \(extId); read it again and retry", detail: 1,
            arguments: [("extId", extId)])
    }
}
