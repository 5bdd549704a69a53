import Foundation
import OData
import PrismAPI
import Testing
@testable import PrismMock

struct GenericEngineWriteTests {
    let vmsPath = "/api/vmm/v4.3/ahv/config/vms"
    let clusterA = FixtureData.items("clustermgmt.config.clusters.json")
        .first { $0["name"] == .string("ahv-cluster-a") }?["extId"]?.stringValue ?? ""

    /// The task a 202 names, fetched the way the SDK does (id percent-encoded in the path).
    func task(_ app: PrismMockApp, from reply: Reply) throws -> JSON {
        let taskId = try #require(reply.json.value(atPath: "data/extId")?.stringValue)
        #expect(reply.json.value(atPath: "data/$objectType") == .string("prism.v4.config.TaskReference"))
        #expect(taskId.hasPrefix("ZXJnb24=:"))
        let encoded = taskId.replacingOccurrences(of: "=", with: "%3D").replacingOccurrences(of: ":", with: "%3A")
        let r = app.call("GET", "/api/prism/v4.4/config/tasks/\(encoded)")
        #expect(r.status == 200)
        #expect(r.json["$objectType"] == .string("prism.v4.config.GetTaskApiResponse"))
        return r.json["data"] ?? .null
    }

    func createVM(_ app: PrismMockApp, name: String) throws -> String {
        let body = #"{"name":"\#(name)","numSockets":2,"memorySizeBytes":4294967296,"cluster":{"extId":"\#(clusterA)"},"$objectType":"vmm.v4.ahv.config.Vm","$reserved":{"$fv":"v4.r3"},"$unknownFields":{}}"#
        let r = app.call("POST", vmsPath, body: body)
        #expect(r.status == 202)
        #expect(r.json["$objectType"] == .string("vmm.v4.ahv.config.CreateVmApiResponse"))
        let t = try task(app, from: r)
        #expect(t["status"] == .string("SUCCEEDED"))
        let affected = try #require(t["entitiesAffected"]?.arrayValue?.first)
        #expect(affected["rel"] == .string("vmm:ahv:config:vm"))
        let extId = try #require(affected["extId"]?.stringValue)
        let details = t["completionDetails"]?.arrayValue ?? []
        #expect(details.contains { $0["name"] == .string("vmExtId") && $0["value"] == .string(extId) })
        return extId
    }

    @Test func createAssignsIdDefaultsAndTypeAndIsListed() throws {
        let app = try TestApp.make()
        let before = app.call("GET", vmsPath).json.value(atPath: "metadata/totalAvailableResults")
        let extId = try createVM(app, name: "made-by-test")
        #expect(UUID(uuidString: extId) != nil)
        let vm = app.call("GET", "\(vmsPath)/\(extId)").json["data"] ?? .null
        #expect(vm["name"] == .string("made-by-test"))
        #expect(vm["$objectType"] == .string("vmm.v4.ahv.config.Vm"))
        // The model default the SDK would also send (sdk-contract.md: hardwareClockTimezone "UTC").
        #expect(vm["hardwareClockTimezone"] == .string("UTC"))
        #expect(vm["$unknownFields"] == nil)
        let after = app.call("GET", vmsPath).json.value(atPath: "metadata/totalAvailableResults")
        #expect(after == before.map { if case .int(let n) = $0 { .int(n + 1) } else { $0 } })
        let byName = app.call("GET", vmsPath + "?%24filter=name+eq+%27made-by-test%27")
        #expect(byName.json["data"]?.arrayValue?.first?["extId"] == .string(extId))
    }

    @Test func aVMOnAClusterThatDoesNotExistFailsItsTaskAndIsNotCreated() throws {
        let app = try TestApp.make()
        let missing = "00000000-0000-0000-0000-0000000c1a55"
        let r = app.call("POST", vmsPath, body: #"{"name":"orphan","cluster":{"extId":"\#(missing)"}}"#)
        #expect(r.status == 202)
        let t = try task(app, from: r)
        #expect(t["status"] == .string("FAILED"))
        let error = try #require(t["errorMessages"]?.arrayValue?.first)
        #expect(error["errorGroup"] == .string("CLUSTER_NOT_FOUND"))
        #expect(error["message"]?.stringValue?.contains(missing) == true)
        let byName = app.call("GET", vmsPath + "?%24filter=name+eq+%27orphan%27")
        #expect(byName.json["data"] == nil)
    }

    @Test func updateNeedsTheCurrentETagAndKeepsReadOnlyFields() throws {
        let app = try TestApp.make()
        let extId = try createVM(app, name: "to-rename")
        let get = app.call("GET", "\(vmsPath)/\(extId)")
        let etag = try #require(get.header("ETag"))
        let body = #"{"extId":"11111111-1111-1111-1111-111111111111","name":"renamed","numSockets":4,"cluster":{"extId":"\#(clusterA)"}}"#
        let stale = app.call("PUT", "\(vmsPath)/\(extId)", body: body, headers: [("If-Match", "\"\(extId.prefix(8))-r99\"")])
        #expect(stale.status == 412)
        #expect(stale.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("ETAG_MISMATCH"))
        let ok = app.call("PUT", "\(vmsPath)/\(extId)", body: body, headers: [("If-Match", etag)])
        #expect(ok.status == 202)
        let after = app.call("GET", "\(vmsPath)/\(extId)")
        #expect(after.json.value(atPath: "data/name") == .string("renamed"))
        #expect(after.json.value(atPath: "data/extId") == .string(extId))
        #expect(after.header("ETag") != etag)
        let replay = app.call("PUT", "\(vmsPath)/\(extId)", body: body, headers: [("If-Match", etag)])
        #expect(replay.status == 412)
    }

    @Test func deleteRemovesTheEntity() throws {
        let app = try TestApp.make()
        let extId = try createVM(app, name: "to-delete")
        let etag = try #require(app.call("GET", "\(vmsPath)/\(extId)").header("ETag"))
        let r = app.call("DELETE", "\(vmsPath)/\(extId)", headers: [("If-Match", etag)])
        #expect(r.status == 202)
        #expect(try task(app, from: r)["status"] == .string("SUCCEEDED"))
        #expect(app.call("GET", "\(vmsPath)/\(extId)").status == 404)
        #expect(app.call("DELETE", "\(vmsPath)/\(extId)").status == 404)
    }

    @Test func actionOnAnEntityReturnsATaskNamingIt() throws {
        let app = try TestApp.make()
        let extId = try createVM(app, name: "acted-on")
        let etag = try #require(app.call("GET", "\(vmsPath)/\(extId)").header("ETag"))
        let r = app.call("POST", "\(vmsPath)/\(extId)/$actions/power-on", headers: [("If-Match", etag)])
        #expect(r.status == 202)
        let t = try task(app, from: r)
        #expect(t["entitiesAffected"]?.arrayValue?.first?["extId"] == .string(extId))
        #expect(app.call("POST", "\(vmsPath)/00000000-0000-0000-0000-000000000404/$actions/power-on").status == 404)
    }

    @Test(arguments: [
        (#"{"name":"x","numSockets":"two"}"#, "numSockets"),
        (#"{"name":"x","powerState":"SIDEWAYS"}"#, "powerState"),
        (#"{"name":"x","disks":[{"backingInfo":{"$objectType":"vmm.v4.ahv.config.NoSuchDisk"}}]}"#, "disks[0].backingInfo.$objectType"),
        (#"{"name":"x","disks":{}}"#, "disks"),
        (#"{"name":"x","cluster":{"extId":5}}"#, "cluster.extId"),
    ])
    func rejectsInvalidBodiesWithASchemaValidationError(body: String, path: String) throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("POST", vmsPath, body: body)
        #expect(r.status == 400)
        let error = r.json.value(atPath: "data/error")
        #expect(error?["$objectType"] == .string("vmm.v4.error.SchemaValidationError"))
        let paths = error?["validationErrorMessages"]?.arrayValue?.compactMap { $0["attributePath"]?.stringValue } ?? []
        #expect(paths.contains(path))
        #expect(app.call("GET", vmsPath).json.value(atPath: "metadata/totalAvailableResults") == .int(0))
    }

    @Test(arguments: ["{", "[1,2]", "\"vm\"", "{\"name\":\"x\"} trailing", "{\"name\":\"\\ud800\"}"])
    func rejectsBodiesThatAreNotAJSONObject(body: String) throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("POST", vmsPath, body: body)
        #expect(r.status == 400)
        #expect(r.json.value(atPath: "data/error/$objectType") == .string("vmm.v4.error.SchemaValidationError"))
    }

    @Test func synchronousCreateAnswersWithTheEntity() throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("POST", "/api/prism/v4.4/config/categories", body: #"{"key":"Team","value":"QA"}"#)
        #expect(r.status == 201)
        #expect(r.json.value(atPath: "data/$objectType") == .string("prism.v4.config.Category"))
        let id = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        #expect(r.header("ETag") != nil)
        let etag = try #require(r.header("ETag"))
        let del = app.call("DELETE", "/api/prism/v4.4/config/categories/\(id)", headers: [("If-Match", etag)])
        #expect(del.status == 204)
        #expect(del.response.body.isEmpty)
    }

    @Test func subResourcesNeedAnExistingParent() throws {
        let app = try TestApp.make()
        let body = #"{"diskAddress":{"busType":"SCSI","index":3}}"#
        let missing = app.call("POST", "\(vmsPath)/00000000-0000-0000-0000-000000000404/disks", body: body)
        #expect(missing.status == 404)
        let vm = try createVM(app, name: "with-disk")
        let created = app.call("POST", "\(vmsPath)/\(vm)/disks", body: body)
        #expect(created.status == 202)
        let list = app.call("GET", "\(vmsPath)/\(vm)/disks")
        #expect(list.json["data"]?.arrayValue?.count == 1)
    }

    @Test func resetBringsBackTheFixtures() throws {
        let app = try TestApp.make()
        _ = try createVM(app, name: "temporary")
        #expect(app.call("POST", "/_pcmock/reset").status == 204)
        let names = app.call("GET", vmsPath + "?%24limit=100").json["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names?.contains("temporary") == false)
        #expect(names?.count == FixtureData.items("vmm.ahv.config.vms.json").count)
    }
}
