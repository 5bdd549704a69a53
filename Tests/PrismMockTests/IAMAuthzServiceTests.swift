import Foundation
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// IAM users of every type, roles and authorization policies: references checked, a granted
/// role kept. (Keys and passwords: AuthenticationTests.)
struct IAMAuthzServiceTests {
    let users = "/api/iam/v4.0/authn/users"
    let roles = "/api/iam/v4.0/authz/roles"
    let policies = "/api/iam/v4.0/authz/authorization-policies"

    static let operationIds = FixtureData.items("iam.authz.operations.json").compactMap { $0["extId"]?.stringValue }

    func problems(_ r: Reply) -> [String] {
        (r.json.value(atPath: "data/error/validationErrorMessages")?.arrayValue ?? []).compactMap {
            $0["attributePath"]?.stringValue
        }
    }

    @Test func aServiceAccountIsCreatedListedAndFilterable() throws {
        let app = try TestApp.make()
        let r = app.call("POST", users, body: #"{"username":"svc-ci","userType":"SERVICE_ACCOUNT","displayName":"CI"}"#)
        #expect(r.status == 201)
        #expect(r.json.value(atPath: "data/userType") == .string("SERVICE_ACCOUNT"))
        let listed = app.call(
            "GET", "\(users)?%24filter=userType%20eq%20Iam.Authn.UserType%27SERVICE_ACCOUNT%27&%24limit=100")
        let names = Set((listed.json["data"]?.arrayValue ?? []).compactMap { $0["username"]?.stringValue })
        let fixtureAccounts = FixtureData.items("iam.authn.users.json").filter {
            $0["userType"] == .string("SERVICE_ACCOUNT")
        }
        #expect(names == Set(fixtureAccounts.compactMap { $0["username"]?.stringValue }).union(["svc-ci"]))
    }

    @Test func aRoleNeedsKnownOperations() throws {
        let app = try TestApp.make()
        let ops = Self.operationIds.prefix(2).map { #""\#($0)""# }.joined(separator: ",")
        let ok = app.call("POST", roles, body: #"{"displayName":"Viewer","operations":[\#(ops)]}"#)
        #expect(ok.status == 201)
        let bad = app.call(
            "POST", roles, body: #"{"displayName":"Bad","operations":[\#(ops),"00000000-0000-4000-8000-000000000001"]}"#
        )
        #expect(bad.status == 400)
        #expect(problems(bad) == ["operations[2]"])
        #expect(app.call("GET", "\(roles)?%24filter=displayName%20eq%20%27Bad%27").json["data"] == nil)
    }

    @Test func aPolicyNeedsAnExistingRoleAndARoleItGrantsCannotBeDeleted() throws {
        let app = try TestApp.make()
        let op = try #require(Self.operationIds.first)
        let role = app.call("POST", roles, body: #"{"displayName":"Ops","operations":["\#(op)"]}"#)
        let roleId = try #require(role.json.value(atPath: "data/extId")?.stringValue)
        let identities = #"[{"identityFilter":{"user":{"uuid":{"anyof":["\#(Semantics.svcUser)"]}}}}]"#
        let entities = #"[{"entityFilter":{"*":{"*":{"eq":"*"}}}}]"#
        let missingRole = app.call(
            "POST", policies,
            body:
                #"{"displayName":"p0","role":"00000000-0000-4000-8000-000000000002","identities":\#(identities),"entities":\#(entities)}"#
        )
        #expect(problems(missingRole) == ["role"])
        let policy = app.call(
            "POST", policies,
            body: #"{"displayName":"p1","role":"\#(roleId)","identities":\#(identities),"entities":\#(entities)}"#)
        #expect(policy.status == 201)
        let policyId = try #require(policy.json.value(atPath: "data/extId")?.stringValue)

        let roleETag = try #require(app.call("GET", "\(roles)/\(roleId)").header("ETag"))
        let refused = app.call("DELETE", "\(roles)/\(roleId)", headers: [("If-Match", roleETag)])
        #expect(refused.status == 409)
        #expect(refused.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("ROLE_IN_USE"))
        #expect(app.call("GET", "\(roles)/\(roleId)").status == 200)

        let policyETag = try #require(app.call("GET", "\(policies)/\(policyId)").header("ETag"))
        #expect(
            (200..<300).contains(
                app.call("DELETE", "\(policies)/\(policyId)", headers: [("If-Match", policyETag)]).status))
        #expect(
            (200..<300).contains(app.call("DELETE", "\(roles)/\(roleId)", headers: [("If-Match", roleETag)]).status))
        #expect(app.call("GET", "\(roles)/\(roleId)").status == 404)
    }

    @Test func fixtureRolesAndPoliciesAreServed() throws {
        let app = try TestApp.make()
        let fixtureRoles = FixtureData.items("iam.authz.roles.json")
        let listed = app.call("GET", "\(roles)?%24limit=100").json["data"]?.arrayValue ?? []
        #expect(
            Set(listed.compactMap { $0["extId"]?.stringValue })
                == Set(fixtureRoles.compactMap { $0["extId"]?.stringValue }))
        for policy in FixtureData.items("iam.authz.authorization-policies.json") {
            let id = try #require(policy["extId"]?.stringValue)
            let got = app.call("GET", "\(policies)/\(id)")
            #expect(got.status == 200)
            #expect(got.json.value(atPath: "data/role") == policy["role"])
        }
    }
}

/// A username is taken once, whether or not the user has a password.
struct IAMUsernameTests {
    let users = "/api/iam/v4.0/authn/users"

    func total(_ app: PrismMockApp) -> JSON? {
        app.call("GET", "\(users)?%24limit=1").json.value(atPath: "metadata/totalAvailableResults")
    }

    @Test(arguments: [
        #"{"username":"svc-automation","userType":"SERVICE_ACCOUNT"}"#,
        #"{"username":"admin","userType":"LOCAL","password":"x-y-z"}"#,
    ])
    func aTakenUsernameIsAConflict(body: String) throws {
        let app = try TestApp.make()
        let before = total(app)
        let r = app.call("POST", users, body: body)
        #expect(r.status == 409)
        #expect(r.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("USER_ALREADY_EXISTS"))
        #expect(total(app) == before)
    }

    @Test func renamingOntoATakenUsernameIsAConflict() throws {
        let app = try TestApp.make()
        let created = app.call("POST", users, body: #"{"username":"carol","userType":"SERVICE_ACCOUNT"}"#)
        let id = try #require(created.json.value(atPath: "data/extId")?.stringValue)
        let etag = try #require(app.call("GET", "\(users)/\(id)").header("ETag"))
        let r = app.call(
            "PUT", "\(users)/\(id)", body: #"{"username":"admin","userType":"SERVICE_ACCOUNT"}"#,
            headers: [("If-Match", etag)])
        #expect(r.status == 409)
        #expect(app.call("GET", "\(users)/\(id)").json.value(atPath: "data/username") == .string("carol"))
        let same = app.call(
            "PUT", "\(users)/\(id)", body: #"{"username":"carol","userType":"SERVICE_ACCOUNT","displayName":"C"}"#,
            headers: [("If-Match", etag)])
        #expect(same.status == 200)
    }
}
