import Dispatch
import FoundationEssentials
import PrismAPI
import Synchronization
import Testing

@testable import PrismMock

struct PreconditionsTests {
    var categoryPath: String { "\(Semantics.categoriesPath)/\(Semantics.firstCategory)" }
    var vmPath: String {
        "\(Semantics.vmsPath)/\(FixtureData.items("vmm.ahv.config.vms.json").first?["extId"]?.stringValue ?? "")"
    }

    @Test func changingAnExistingEntityWithoutIfMatchIs428() throws {
        let app = try TestApp.make()
        let requests: [(String, String, String?)] = [
            ("PUT", categoryPath, #"{"key":"Environment","value":"Renamed"}"#),
            ("DELETE", categoryPath, nil),
            ("POST", vmPath + "/$actions/power-off", nil),
        ]
        for (method, path, body) in requests {
            let r = app.call(method, path, body: body)
            #expect(r.status == 428, "\(method) \(path)")
            let error = r.json.value(atPath: "data/error")?.arrayValue?.first
            #expect(error?["errorGroup"] == .string("MISSING_ETAG_HEADER"))
        }
        #expect(app.call("GET", categoryPath).json.value(atPath: "data/value") == .string("Production"))
    }

    @Test func aMissingEntityIsStill404() throws {
        let app = try TestApp.make()
        #expect(app.call("DELETE", "\(Semantics.categoriesPath)/00000000-0000-0000-0000-00000000dead").status == 404)
    }

    @Test func lenientModeAcceptsAMissingIfMatch() throws {
        let app = try TestApp.make { $0.lenientIfMatch = true }
        #expect(app.call("PUT", categoryPath, body: #"{"key":"Environment","value":"Renamed"}"#).status == 200)
    }

    @Test func aStaleETagIs412AndTheCurrentOneWinsAndChangesIt() throws {
        let app = try TestApp.make()
        let etag = try #require(app.call("GET", categoryPath).header("ETag"))
        let ok = app.call(
            "PUT", categoryPath, body: #"{"key":"Environment","value":"V2"}"#, headers: [("If-Match", etag)])
        #expect(ok.status == 200)
        let newTag = try #require(app.call("GET", categoryPath).header("ETag"))
        #expect(newTag != etag)
        let stale = app.call(
            "PUT", categoryPath, body: #"{"key":"Environment","value":"V3"}"#, headers: [("If-Match", etag)])
        #expect(stale.status == 412)
        #expect(stale.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("ETAG_MISMATCH"))
        #expect(app.call("GET", categoryPath).json.value(atPath: "data/value") == .string("V2"))
    }

    @Test func ifNoneMatchWithTheCurrentETagIs304WithoutABody() throws {
        let app = try TestApp.make()
        let etag = try #require(app.call("GET", categoryPath).header("ETag"))
        let cached = app.call("GET", categoryPath, headers: [("If-None-Match", etag)])
        #expect(cached.status == 304)
        #expect(cached.response.body.isEmpty)
        #expect(cached.header("ETag") == etag)
        #expect(app.call("GET", categoryPath, headers: [("If-None-Match", #""other""#)]).status == 200)
    }

    /// Every entity GET, sub-resources included, has the header and `data.$reserved.ETag` equal.
    @Test(arguments: [
        ("prism.config.categories.json", "/api/prism/v4.4/config/categories/{id}"),
        ("vmm.ahv.config.vms.json", "/api/vmm/v4.3/ahv/config/vms/{id}"),
        ("clustermgmt.config.hosts.json", "/api/clustermgmt/v4.3/config/clusters/{parent}/hosts/{id}"),
        ("iam.authn.users.json", "/api/iam/v4.0/authn/users/{id}"),
        ("volumes.config.volume-groups.disks.json", "/api/volumes/v4.3/config/volume-groups/{parent}/disks/{id}"),
        ("iam.authn.users.keys.json", "/api/iam/v4.0/authn/users/{parent}/keys/{id}"),
    ])
    func everyEntityGetSendsTheETagTwice(file: String, template: String) throws {
        let app = try TestApp.make()
        let item = try #require(FixtureData.items(file).first)
        let path = template.replacing("{id}", with: item["extId"]?.stringValue ?? "")
            .replacing("{parent}", with: item["$pcmock"]?["parentExtId"]?.stringValue ?? "")
        let r = app.call("GET", path)
        #expect(r.status == 200)
        let header = try #require(r.header("ETag"))
        #expect(r.json.value(atPath: "data/$reserved/ETag") == .string(header))
    }

    @Test func concurrentUpdatesWithOneETagHaveExactlyOneWinner() throws {
        let app = try TestApp.make()
        let etag = try #require(app.call("GET", categoryPath).header("ETag"))
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let r = app.call(
                "PUT", categoryPath, body: #"{"key":"Environment","value":"writer-\#(i)"}"#,
                headers: [("If-Match", etag)])
            statuses.withLock { $0.append(r.status) }
        }
        let all = statuses.withLock { $0 }
        #expect(all.filter { $0 == 200 }.count == 1)
        #expect(all.filter { $0 == 412 }.count == 7)
        let value = app.call("GET", categoryPath).json.value(atPath: "data/value")?.stringValue ?? ""
        #expect(value.hasPrefix("writer-"))
    }
}
