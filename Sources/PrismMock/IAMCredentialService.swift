import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// The IAM operations that create or withdraw credentials (issue 6 §1): `createUser` with a
/// `password` (kept only as a salted hash, never stored in or returned with the user),
/// `createUserKey` (an API key's value is in the create response and nowhere else) and
/// `revokeUserKey`. Everything else about users and keys is the generic engine's.
struct IAMCredentialService: Service {
    let env: AppEnvironment

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "iam" else { return nil }
        switch ctx.operation.operationId {
        case "createUser": return try createUser(ctx)
        case "updateUserById": return try updateUser(ctx)
        case "createUserKey": return try createKey(ctx)
        case "revokeUserKey": return try revokeKey(ctx)
        default: return nil
        }
    }

    private func createUser(_ ctx: RequestContext) throws -> HTTPResponse? {
        guard var body = try? JSON.parse(ctx.request.body).objectValue, let password = body["password"] else {
            return nil  // the engine reports bad bodies
        }
        guard let text = password.stringValue, !text.isEmpty, let username = body["username"]?.stringValue else {
            throw V4Error.schema(
                "iam", path: String(ctx.request.path),
                [
                    ValidationProblem(attributePath: "password", message: "needs a non-empty string and a username")
                ])
        }
        body["password"] = nil
        var inner = ctx.withBody(body)
        // First, so that a conflict throws before anything else joins the transaction.
        inner.commitHooks.insert(
            { tx, response in
                guard response.status == 201, let userExtId = IAMCredentialService.dataExtId(response) else { return }
                do {
                    try tx.insert(Credentials.passwordRow(username: username, userExtId: userExtId, password: text))
                } catch StoreError.alreadyExists {
                    throw V4Error(
                        409, "iam", "USER_ALREADY_EXISTS", "A user named \(username) already has a password",
                        detail: 1, arguments: [("username", username)])
                }
            }, at: 0)
        inner.commitHooks.insert(IAMAuthzService.uniqueUsername(ctx), at: 0)
        return try env.engine.create(&inner)
    }

    /// A PUT may carry a new password (the SDK re-sends what it read plus changes): it replaces
    /// the hash and is never stored in the user document.
    private func updateUser(_ ctx: RequestContext) throws -> HTTPResponse? {
        guard var body = try? JSON.parse(ctx.request.body).objectValue, let password = body["password"] else {
            return nil
        }
        body["password"] = nil
        var inner = ctx.withBody(body)
        let userExtId = ctx.parameters["extId"] ?? ""
        if let text = password.stringValue, !text.isEmpty {
            inner.commitHooks.insert(
                { tx, response in
                    guard (200..<300).contains(response.status),
                        let user = try tx.get(namespace: "iam", kind: Credentials.usersKind, extId: userExtId),
                        let username = (try? JSON.parse(user.document))?["username"]?.stringValue
                    else { return }
                    _ = try tx.delete(
                        namespace: Credentials.namespace, kind: Credentials.passwordKind, extId: username,
                        expectedRevision: nil, cascade: false)
                    try tx.insert(Credentials.passwordRow(username: username, userExtId: userExtId, password: text))
                }, at: 0)
        }
        inner.commitHooks.insert(IAMAuthzService.uniqueUsername(ctx), at: 0)
        return try env.engine.update(&inner)
    }

    private func createKey(_ ctx: RequestContext) throws -> HTTPResponse? {
        guard var body = try? JSON.parse(ctx.request.body).objectValue,
            body["keyType"]?.stringValue == "API_KEY", let userExtId = ctx.parameters["userExtId"]
        else { return nil }
        body["keyDetails"] = nil
        // ApiKeyDetails.apiKey is exactly 32 characters in the model.
        let key = RandomToken.hex(bytes: 16)
        var inner = ctx.withBody(body)
        inner.commitHooks.insert(
            { tx, response in
                guard response.status == 201, let keyExtId = IAMCredentialService.dataExtId(response) else { return }
                try tx.insert(
                    Credentials.apiKeyRow(sha256: SHA256.hex(key.utf8), keyExtId: keyExtId, userExtId: userExtId))
            }, at: 0)
        // The idempotency record keeps the response without the key: a replay does not reveal it again.
        var response = try env.engine.create(&inner)
        guard response.status == 201, var root = try? JSON.parse(response.body).objectValue,
            var data = root["data"]?.objectValue
        else { return response }
        data["keyDetails"] = .object(
            JSONObject([
                ("apiKey", .string(key)), ("$objectType", .string("iam.v4.authn.ApiKeyDetails")),
                ("$reserved", .object(JSONObject([("$fv", .string(env.contract.fv("iam")))]))),
            ]))
        root["data"] = .object(data)
        response.body = Array(JSON.object(root).text.utf8)
        return response
    }

    private func revokeKey(_ ctx: RequestContext) throws -> HTTPResponse {
        let extId = ctx.parameters["extId"] ?? ""
        let userExtId = ctx.parameters["userExtId"]
        let ifMatch = ctx.request.headers["If-Match"]
        let now = env.clock()
        return try env.store.write { tx in
            guard let key = try tx.get(namespace: "iam", kind: Credentials.keysKind, extId: extId),
                key.parentExtId == userExtId, var doc = try JSON.parse(key.document).objectValue
            else {
                throw V4Error.entityNotFound("iam", what: "iam:authn:key", extId: extId)
            }
            if let ifMatch, !ETag.matches(ifMatch, entity: key) {
                throw V4Error(
                    412, "iam", "ETAG_MISMATCH", "If-Match does not match the current ETag of \(extId)",
                    detail: 1, arguments: [("extId", extId)])
            }
            doc["status"] = .string("REVOKED")
            doc["lastUpdatedTime"] = .string(Timestamp.rfc3339(now))
            _ = try tx.replace(
                namespace: "iam", kind: Credentials.keysKind, extId: extId, document: JSON.object(doc).text,
                expectedRevision: key.revision)
            let fv = env.contract.fv("iam")
            let data =
                #"{"message":"# + JSON.quoted("Key \(extId) revoked")
                + #","severity":"INFO","code":"IAM-20000","locale":"en_US","$objectType":"iam.v4.error.AppMessage","#
                + #""$reserved":{"$fv":"# + JSON.quoted(fv) + "}}"
            let response = HTTPResponse.json(
                200,
                Envelope.wrap(
                    data: data, metadata: Envelope.metadata(paginated: false), objectType: ctx.operation.responseModel,
                    fv: fv))
            try ctx.runCommitHooks(in: tx, response)
            return response
        }
    }

    static func dataExtId(_ response: HTTPResponse) -> String? {
        (try? JSON.parse(response.body))?["data"]?["extId"]?.stringValue
    }
}
