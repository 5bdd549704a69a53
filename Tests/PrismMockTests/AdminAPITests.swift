import OData
import PrismAPI
import Testing
@testable import PrismMock

struct AdminAPITests {
    let categories = "/api/prism/v4.4/config/categories"

    @Test func healthAnswersOK() throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("GET", "/_pcmock/health")
        #expect(r.status == 200)
        #expect(r.json == .object(JSONObject([("status", .string("ok"))])))
    }

    @Test func snapshotsSaveAndRestoreTheWholeState() throws {
        let app = try TestApp.make(fixtures: false)
        #expect(app.call("POST", categories, body: #"{"key":"Env","value":"A"}"#).status == 201)
        #expect(app.call("POST", "/_pcmock/snapshots/one").status == 201)
        #expect(app.call("POST", categories, body: #"{"key":"Env","value":"B"}"#).status == 201)
        #expect(app.call("GET", categories).json.value(atPath: "metadata/totalAvailableResults") == .int(2))
        #expect(app.call("POST", "/_pcmock/snapshots/one/$actions/restore").status == 204)
        let after = app.call("GET", categories)
        #expect(after.json.value(atPath: "metadata/totalAvailableResults") == .int(1))
        #expect(after.json["data"]?.arrayValue?.first?["value"] == .string("A"))
        #expect(app.call("GET", "/_pcmock/snapshots").json["data"] == .array([.string("one")]))
        #expect(app.call("DELETE", "/_pcmock/snapshots/one").status == 204)
        #expect(app.call("POST", "/_pcmock/snapshots/one/$actions/restore").status == 404)
    }

    @Test func configChangesAtRunTimeAndRejectsNonsenseWhole() throws {
        let app = try TestApp.make(fixtures: false)
        let ok = app.call("PUT", "/_pcmock/config", body: #"{"rateLimit":{"requestsPerSecond":5,"burst":2},"tasks":{"mode":"manual"}}"#)
        #expect(ok.status == 200)
        #expect(ok.json.value(atPath: "rateLimit/burst") == .int(2))
        #expect(ok.json.value(atPath: "tasks/mode") == .string("manual"))
        let bad = app.call("PUT", "/_pcmock/config", body: #"{"tasks":{"mode":"warp"},"strict":true}"#)
        #expect(bad.status == 400)
        let now = app.call("GET", "/_pcmock/config")
        #expect(now.json["strict"] == .bool(false), "a rejected body changes nothing")
        #expect(now.json.value(atPath: "tasks/mode") == .string("manual"))
        #expect(app.call("PUT", "/_pcmock/config", body: #"{"rateLimit":null}"#).json["rateLimit"] == .null)
    }

    @Test func unknownAdminPathsAre404() throws {
        let app = try TestApp.make(fixtures: false)
        #expect(app.call("GET", "/_pcmock/nothing").status == 404)
        #expect(app.call("DELETE", "/_pcmock/health").status == 405)
    }
}

struct V4ErrorTests {
    /// Error bodies are built where no catalog is at hand (framing errors), from a fixed table:
    /// it must say what the catalog says for every namespace.
    @Test func errorFormatVersionsAgreeWithTheCatalog() {
        for (name, namespace) in TestApp.catalog.namespaces {
            #expect(V4Error.formatVersion(name) == namespace.fv, "\(name)")
        }
    }
}
