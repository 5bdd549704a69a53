import EntityStore
import HTTPServer
import OData
import PrismAPI

/// IAM users, roles and authorization policies (synchronous): a username is taken once (409,
/// with or without a password: `IAMCredentialService` adds the same check), a role's
/// `operations` must be known operations, a policy's `role` an existing role (a 400 naming the
/// attribute otherwise), and a role an authorization policy still grants cannot be deleted
/// (409, nothing deleted).
struct IAMAuthzService: Service {
    let env: AppEnvironment

    static let roles = "iam:authz/roles"
    static let policies = "iam:authz/authorization-policies"
    static let operations = "iam:authz/operations"

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "iam" else { return nil }
        switch ctx.operation.operationId {
        case "createUser":
            ctx.commitHooks.insert(IAMAuthzService.uniqueUsername(ctx), at: 0)
            return try env.engine.create(&ctx)
        case "updateUserById":
            ctx.commitHooks.insert(IAMAuthzService.uniqueUsername(ctx), at: 0)
            return try env.engine.update(&ctx)
        case "createRole":
            try check(ctx, try roleProblems(try env.engine.requestObject(ctx)))
            return try env.engine.create(&ctx)
        case "updateRoleById":
            try check(ctx, try roleProblems(try env.engine.requestObject(ctx)))
            return try env.engine.update(&ctx)
        case "deleteRoleById":
            ctx.commitHooks.insert(roleNotGranted(ctx), at: 0)
            return try env.engine.delete(&ctx)
        case "createAuthorizationPolicy":
            try check(ctx, try policyProblems(try env.engine.requestObject(ctx)))
            return try env.engine.create(&ctx)
        case "updateAuthorizationPolicyById":
            try check(ctx, try policyProblems(try env.engine.requestObject(ctx)))
            return try env.engine.update(&ctx)
        default:
            return nil
        }
    }

    private func roleProblems(_ role: JSONObject) throws -> [ValidationProblem] {
        var out: [ValidationProblem] = []
        for (i, op) in (role["operations"]?.arrayValue ?? []).enumerated() {
            let id = op.stringValue ?? ""
            if try env.store.get(namespace: "iam", kind: IAMAuthzService.operations, extId: id) == nil {
                out.append(
                    ValidationProblem(attributePath: "operations[\(i)]", message: "operation \(id) does not exist"))
            }
        }
        return out
    }

    private func policyProblems(_ policy: JSONObject) throws -> [ValidationProblem] {
        guard let role = policy["role"]?.stringValue else { return [] }
        if try env.store.get(namespace: "iam", kind: IAMAuthzService.roles, extId: role) == nil {
            return [ValidationProblem(attributePath: "role", message: "role \(role) does not exist")]
        }
        return []
    }

    /// Inside the user's write: another user with the same username fails it.
    static func uniqueUsername(_ ctx: RequestContext) -> CommitHook {
        let path = ctx.parameters["extId"]
        return { tx, response in
            guard (200..<300).contains(response.status),
                let extId = path ?? IAMCredentialService.dataExtId(response),
                let row = try tx.get(namespace: "iam", kind: Credentials.usersKind, extId: extId),
                let username = (try? JSON.parse(row.document))?["username"]?.stringValue
            else { return }
            let other = try tx.list(
                namespace: "iam", kind: Credentials.usersKind,
                whereSQL: "json_extract(\(StoreSchema.Entities.document), '$.username') = ? AND extId <> ?",
                arguments: [.text(username), .text(extId)], limit: 1
            ).entities.first
            guard let other else { return }
            throw V4Error(
                409, "iam", "USER_ALREADY_EXISTS", "A user named \(username) already exists (\(other.extId))",
                detail: 1,
                arguments: [("username", username), ("extId", other.extId)])
        }
    }

    /// Inside the delete's write: a policy naming the role keeps it.
    private func roleNotGranted(_ ctx: RequestContext) -> CommitHook {
        let extId = ctx.parameters["extId"] ?? ""
        return { tx, response in
            guard (200..<300).contains(response.status) else { return }
            let granting = try tx.list(
                namespace: "iam", kind: IAMAuthzService.policies,
                whereSQL: "json_extract(\(StoreSchema.Entities.document), '$.role') = ?", arguments: [.text(extId)],
                limit: 1
            ).entities.first
            guard let granting else { return }
            throw V4Error(
                409, "iam", "ROLE_IN_USE",
                "Role \(extId) is granted by authorization policy \(granting.extId); delete or change the policy first",
                detail: 3, arguments: [("extId", extId), ("authorizationPolicyExtId", granting.extId)])
        }
    }

    private func check(_ ctx: RequestContext, _ problems: [ValidationProblem]) throws {
        guard !problems.isEmpty else { return }
        throw V4Error.schema("iam", path: String(ctx.request.path), problems)
    }
}
