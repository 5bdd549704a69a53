import FoundationEssentials
import PrismAPI
import Testing

@testable import PrismMock

struct AuthenticationTests {
    @Test(arguments: [
        [(String, String)](),
        [("Authorization", Semantics.basic("admin", "wrong"))],
        [("Authorization", Semantics.basic("nobody", "Nutanix/4u"))],
        [("Authorization", "Bearer abc")],
        [("Authorization", "Basic !!!not-base64")],
        [("X-ntnx-api-key", "not-a-key")],
    ])
    func missingOrBadCredentialsAre401WithAChallengeAndAV4Error(headers: [(String, String)]) throws {
        let app = try TestApp.make()
        let r = app.raw("GET", Semantics.vmsPath, headers: headers)
        #expect(r.status == 401)
        #expect(r.header("WWW-Authenticate") == #"Basic realm="pcmock""#)
        #expect(r.json.value(atPath: "data/$objectType") == .string("vmm.v4.error.ErrorResponse"))
        #expect(
            r.json.value(atPath: "data/error")?.arrayValue?.first?["code"]?.stringValue?.hasPrefix("VMM-401") == true)
        #expect(r.header("Set-Cookie") == nil)
    }

    @Test func configuredCredentialsLogIn() throws {
        let app = try TestApp.make {
            $0.username = "ops"
            $0.password = "p:ss:word"
        }
        #expect(
            app.raw("GET", Semantics.vmsPath, headers: [("Authorization", Semantics.basic("ops", "p:ss:word"))]).status
                == 200)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("Authorization", TestApp.basicAdmin)]).status == 401)
    }

    @Test func healthIsOpenButTheRestOfTheAdminAPIIsNot() throws {
        let app = try TestApp.make()
        #expect(app.raw("GET", "/_pcmock/health").status == 200)
        #expect(app.raw("GET", "/_pcmock/config").status == 401)
        #expect(app.raw("POST", "/_pcmock/reset").status == 401)
        #expect(app.raw("GET", "/_pcmock/requests").status == 401)
        #expect(app.raw("GET", "/_pcmock/config", headers: [("Authorization", TestApp.basicAdmin)]).status == 200)
    }

    @Test func noAuthAcceptsAnonymousRequests() throws {
        let app = try TestApp.make { $0.authEnabled = false }
        #expect(app.raw("GET", Semantics.vmsPath).status == 200)
        #expect(app.raw("GET", "/_pcmock/config").status == 200)
    }

    @Test func theFixtureServiceAccountKeyAuthenticatesAndOwnsItsTasks() throws {
        let app = try TestApp.make()
        let key = [("X-NTNX-API-KEY", Semantics.apiKey)]
        #expect(app.raw("GET", Semantics.usersPath, headers: key).status == 200)
        let r = app.raw("POST", Semantics.vmsPath, headers: key + [("NTNX-Request-Id", "a1")], body: Semantics.vmBody)
        #expect(r.status == 202)
        let taskId = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        let encoded = taskId.replacing("=", with: "%3D").replacing(":", with: "%3A")
        let task = app.call("GET", "/api/prism/v4.4/config/tasks/\(encoded)").json["data"] ?? .null
        #expect(task.value(atPath: "ownedBy/name") == .string("svc-automation"))
        #expect(task.value(atPath: "ownedBy/extId") == .string(Semantics.svcUser))
    }

    /// A key that is sent decides alone: a valid password beside a bad key does not rescue it.
    @Test func aBadKeyFailsEvenWithGoodBasicCredentials() throws {
        let app = try TestApp.make()
        let r = app.raw(
            "GET", Semantics.vmsPath, headers: [("Authorization", TestApp.basicAdmin), ("X-ntnx-api-key", "x")])
        #expect(r.status == 401)
    }

    @Test func aCreatedKeyIsShownOnceAuthenticatesAndStopsWhenRevoked() throws {
        let app = try TestApp.make()
        let keys = "\(Semantics.usersPath)/\(Semantics.svcUser)/keys"
        let created = app.call("POST", keys, body: #"{"name":"build-bot","keyType":"API_KEY"}"#)
        #expect(created.status == 201)
        let value = try #require(created.json.value(atPath: "data/keyDetails/apiKey")?.stringValue)
        #expect(value.count == 32)
        #expect(created.json.value(atPath: "data/keyDetails/$objectType") == .string("iam.v4.authn.ApiKeyDetails"))
        let keyId = try #require(created.json.value(atPath: "data/extId")?.stringValue)
        let fetched = app.call("GET", "\(keys)/\(keyId)")
        #expect(fetched.status == 200)
        #expect(fetched.json.value(atPath: "data/keyDetails") == nil)
        #expect(!fetched.text.contains(value))
        #expect(!app.call("GET", keys).text.contains(value))
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("X-ntnx-api-key", value)]).status == 200)

        let revoke = app.call(
            "POST", "\(keys)/\(keyId)/$actions/revoke", headers: [("If-Match", fetched.header("ETag") ?? "")])
        #expect(revoke.status == 200)
        #expect(app.call("GET", "\(keys)/\(keyId)").json.value(atPath: "data/status") == .string("REVOKED"))
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("X-ntnx-api-key", value)]).status == 401)
    }

    @Test func anExpiredKeyIs401() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_900_000_000))  // 2030-03-17
        let app = try TestApp.make { $0.clock = clock.function }
        let keys = "\(Semantics.usersPath)/\(Semantics.svcUser)/keys"
        let created = app.call(
            "POST", keys, body: #"{"name":"short","keyType":"API_KEY","expiryTime":"2030-04-01T00:00:00Z"}"#)
        let value = try #require(created.json.value(atPath: "data/keyDetails/apiKey")?.stringValue)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("X-ntnx-api-key", value)]).status == 200)
        clock.advance(30 * 86_400)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("X-ntnx-api-key", value)]).status == 401)
    }

    @Test func aUserCreatedWithAPasswordLogsInAndThePasswordIsNeverKept() throws {
        let app = try TestApp.make()
        let body = #"{"username":"alice","userType":"LOCAL","password":"S3cret!pass","displayName":"Alice"}"#
        let created = app.call("POST", Semantics.usersPath, body: body)
        #expect(created.status == 201)
        #expect(!created.text.contains("S3cret!pass"))
        #expect(created.json.value(atPath: "data/password") == nil)
        let alice = Semantics.basic("alice", "S3cret!pass")
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("Authorization", alice)]).status == 200)
        #expect(
            app.raw("GET", Semantics.vmsPath, headers: [("Authorization", Semantics.basic("alice", "s3cret!pass"))])
                .status == 401)
        // Nothing in the store holds the password itself.
        let rows = try app.store.read { view in
            try ["iam:authn/users", Credentials.passwordKind].flatMap { kind in
                try view.list(namespace: kind == Credentials.passwordKind ? "pcmock" : "iam", kind: kind, limit: 100)
                    .entities
            }
        }
        #expect(rows.count >= 3)
        #expect(!rows.contains { $0.document.contains("S3cret!pass") })
    }

    @Test func aPasswordChangedByPutReplacesTheOldOneAndIsNotStored() throws {
        let app = try TestApp.make()
        let created = app.call(
            "POST", Semantics.usersPath, body: #"{"username":"dave","userType":"LOCAL","password":"old-pass"}"#)
        let id = try #require(created.json.value(atPath: "data/extId")?.stringValue)
        let etag = try #require(created.header("ETag"))
        let put = app.call(
            "PUT", "\(Semantics.usersPath)/\(id)",
            body: #"{"username":"dave","userType":"LOCAL","password":"new-pass"}"#, headers: [("If-Match", etag)])
        #expect(put.status == 200)
        #expect(!put.text.contains("new-pass"))
        #expect(!app.call("GET", "\(Semantics.usersPath)/\(id)").text.contains("new-pass"))
        let old = Semantics.basic("dave", "old-pass"), new = Semantics.basic("dave", "new-pass")
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("Authorization", old)]).status == 401)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("Authorization", new)]).status == 200)
    }

    @Test func aSecondUserWithTheSameNameAndAPasswordIsAConflictAndNotCreated() throws {
        let app = try TestApp.make()
        let body = #"{"username":"bob","userType":"LOCAL","password":"first-pass"}"#
        #expect(app.call("POST", Semantics.usersPath, body: body).status == 201)
        let before = app.call("GET", Semantics.usersPath).json.value(atPath: "metadata/totalAvailableResults")
        let again = app.call(
            "POST", Semantics.usersPath, body: #"{"username":"bob","userType":"LOCAL","password":"other"}"#)
        #expect(again.status == 409)
        #expect(app.call("GET", Semantics.usersPath).json.value(atPath: "metadata/totalAvailableResults") == before)
        #expect(
            app.raw("GET", Semantics.vmsPath, headers: [("Authorization", Semantics.basic("bob", "first-pass"))]).status
                == 200)
    }

    @Test func noCookieIsEverSentByDefault() throws {
        let app = try TestApp.make()
        #expect(app.call("GET", Semantics.vmsPath).header("Set-Cookie") == nil)
        #expect(
            app.raw("OPTIONS", "/api/vmm/unversioned/info", headers: [("Authorization", TestApp.basicAdmin)])
                .header("Set-Cookie") == nil)
    }

    @Test func sessionCookiesReplaceCredentialsWhenEnabled() throws {
        let app = try TestApp.make { $0.sessionCookies = true }
        let first = app.call("GET", Semantics.vmsPath)
        let setCookie = try #require(first.header("Set-Cookie"))
        #expect(setCookie.hasPrefix("NTNX_IGW_SESSION="))
        #expect(!setCookie.contains(","))
        let pair = String(setCookie.prefix { $0 != ";" })
        let second = app.raw("GET", Semantics.vmsPath, headers: [("Cookie", "other=1; " + pair)])
        #expect(second.status == 200)
        #expect(second.header("Set-Cookie") == nil)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("Cookie", "NTNX_IGW_SESSION=forged")]).status == 401)
    }

    @Test(arguments: [
        ("Basic YWRtaW46TnV0YW5peC80dQ==", "admin", "Nutanix/4u"),
        ("basic YTpiOmM=", "a", "b:c"),
    ])
    func basicHeaderParsing(header: String, user: String, password: String) {
        let parsed = Authentication.basic(header)
        #expect(parsed?.0 == user)
        #expect(parsed?.1 == password)
    }
}
