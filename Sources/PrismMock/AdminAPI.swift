import EntityStore
import HTTPServer
import OData
import PrismAPI

/// `/_pcmock/…`: the operator's controls (DESIGN.md "Admin API").
struct AdminAPI {
    let app: PrismMockApp
    let env: AppEnvironment

    func handle(_ request: HTTPRequest) throws -> HTTPResponse {
        let path = request.path
        switch (request.method, path) {
        case ("GET", "/_pcmock/health"), ("HEAD", "/_pcmock/health"):
            return .json(200, #"{"status":"ok"}"#)
        case (_, "/_pcmock/health"):
            throw V4Error.methodNotAllowed(path: path, allow: ["GET", "HEAD"])
        case ("POST", "/_pcmock/reset"):
            try app.reset()
            return HTTPResponse(status: 204)
        case (_, "/_pcmock/reset"):
            throw V4Error.methodNotAllowed(path: path, allow: ["POST"])
        case ("GET", "/_pcmock/config"):
            return .json(200, env.config.current.json())
        case ("PUT", "/_pcmock/config"):
            let body: JSON
            do {
                body = try JSON.parse(request.body)
            } catch {
                throw V4Error.schema("prism", path: String(path), [ValidationProblem(attributePath: "$", message: "\(error)")])
            }
            let problems = env.config.update { $0.apply(body) }
            guard problems.isEmpty else { throw V4Error.schema("prism", path: String(path), problems) }
            env.engine.tasks.submitted()
            return .json(200, env.config.current.json())
        case (_, "/_pcmock/config"):
            throw V4Error.methodNotAllowed(path: path, allow: ["GET", "PUT"])
        case ("GET", "/_pcmock/requests"):
            return try JournalEndpoint.handle(request, journal: app.journal)
        case (_, "/_pcmock/requests"):
            throw V4Error.methodNotAllowed(path: path, allow: ["GET"])
        case ("POST", "/_pcmock/tasks/$actions/advance"):
            return try TaskAdmin(scheduler: env.engine.tasks.scheduler).advance(request)
        case (_, "/_pcmock/tasks/$actions/advance"):
            throw V4Error.methodNotAllowed(path: path, allow: ["POST"])
        case (_, ContractReportEndpoint.path[...]):
            return try ContractReportEndpoint(
                report: app.contractReport, contract: env.contract, store: env.store, config: env.config
            ).handle(request)
        case (_, let p) where p == "/_pcmock/faults" || p.hasPrefix("/_pcmock/faults/"):
            return try FaultAdmin(rules: app.faults).handle(request)
        default:
            if path.hasPrefix("/_pcmock/snapshots") { return try snapshots(request) }
            throw V4Error.notFound(path: path)
        }
    }

    /// `POST /_pcmock/snapshots/{name}` saves the whole state, `POST …/{name}/$actions/restore`
    /// brings it back, `GET /_pcmock/snapshots` lists the names, `DELETE …/{name}` forgets one.
    private func snapshots(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let target = RequestTarget(path: request.path, query: nil) else {
            throw V4Error.badRequest("prism", "malformed snapshot path")
        }
        let segs = target.segments  // ["_pcmock", "snapshots", name?, "$actions"?, "restore"?]
        switch (request.method, segs.count) {
        case ("GET", 2):
            let names = env.store.snapshotNames.sorted().map { JSON.string($0) }
            return .json(200, JSON.object(JSONObject([("data", .array(names))])).text)
        case ("POST", 3):
            let name = segs[2]
            guard !name.isEmpty, name.utf8.count <= 128 else { throw V4Error.badRequest("prism", "snapshot names are 1 to 128 bytes") }
            // The journal is part of the state: what the ring holds goes in first.
            try app.journal.flush()
            try env.store.saveSnapshot(named: name)
            return .json(201, JSON.object(JSONObject([("name", .string(name))])).text)
        case ("POST", 5) where segs[3] == "$actions" && segs[4] == "restore":
            do {
                // Written first, so the restore replaces these entries as it replaces the stored ones.
                try app.journal.flush()
                try env.store.restoreSnapshot(named: segs[2])
                // Restored tasks may be due: the scheduler must look again.
                env.engine.tasks.submitted()
            } catch StoreError.snapshotNotFound {
                throw V4Error(404, "prism", "SNAPSHOT_NOT_FOUND", "no snapshot named \(segs[2])")
            }
            return HTTPResponse(status: 204)
        case ("DELETE", 3):
            guard env.store.deleteSnapshot(named: segs[2]) else {
                throw V4Error(404, "prism", "SNAPSHOT_NOT_FOUND", "no snapshot named \(segs[2])")
            }
            return HTTPResponse(status: 204)
        default:
            throw V4Error.notFound(path: request.path)
        }
    }
}
