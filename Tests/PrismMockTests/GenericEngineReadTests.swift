import FoundationEssentials
import PrismAPI
import Testing
@testable import PrismMock

struct GenericEngineReadTests {
    let vms = FixtureData.items("vmm.ahv.config.vms.json")
    let vmsPath = "/api/vmm/v4.3/ahv/config/vms"

    @Test(arguments: [("vmm", "v4.3"), ("prism", "v4.4"), ("iam", "v4.0"), ("clustermgmt", "v4.3"), ("security", "v4.2")])
    func negotiatesEachNamespaceVersion(namespace: String, version: String) throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("OPTIONS", "/api/\(namespace)/unversioned/info")
        #expect(r.status == 200)
        #expect(r.json["data"] == .string(version))
    }

    @Test func unknownNamespaceIsNotFound() throws {
        let app = try TestApp.make(fixtures: false)
        #expect(app.call("OPTIONS", "/api/nosuch/unversioned/info").status == 404)
    }

    @Test func listsEveryFixtureVMWithTypedEnvelope() throws {
        let app = try TestApp.make()
        let r = app.call("GET", vmsPath + "?%24limit=100")
        #expect(r.status == 200)
        #expect(r.json["$objectType"] == .string("vmm.v4.ahv.config.ListVmsApiResponse"))
        #expect(r.json["$reserved"]?["$fv"] == .string("v4.r3"))
        let items = try #require(r.json["data"]?.arrayValue)
        #expect(Set(items.compactMap { $0["name"]?.stringValue }) == Set(vms.compactMap { $0["name"]?.stringValue }))
        for item in items {
            #expect(item["$objectType"] == .string("vmm.v4.ahv.config.Vm"))
            #expect(item["$reserved"]?["$fv"] == .string("v4.r3"))
        }
        #expect(r.json.value(atPath: "metadata/totalAvailableResults") == .int(Int64(vms.count)))
        #expect(r.json.value(atPath: "metadata/$objectType") == .string("common.v1.response.ApiResponseMetadata"))
    }

    @Test(arguments: ["v4.0", "v4.1", "v4.3", "v4.3.b1", "v4.9.a2"])
    func anyV4VersionSegmentRoutes(version: String) throws {
        let app = try TestApp.make()
        #expect(app.call("GET", "/api/vmm/\(version)/ahv/config/vms").status == 200)
    }

    @Test(arguments: ["v5.0", "v4", "4.3", "v4.x"])
    func otherVersionSegmentsDoNotRoute(version: String) throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("GET", "/api/vmm/\(version)/ahv/config/vms")
        #expect(r.status == 404)
        #expect(r.json.value(atPath: "data/$objectType") == .string("vmm.v4.error.ErrorResponse"))
    }

    @Test func pagesWithLinksBuiltFromTheRequest() throws {
        let app = try TestApp.make()
        let r = app.call("GET", vmsPath + "?%24page=1&%24limit=5&%24orderby=name")
        let names = r.json["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        let expected = vms.compactMap { $0["name"]?.stringValue }.sorted()
        #expect(names == Array(expected[5..<10]))
        let links = r.json.value(atPath: "metadata/links")?.arrayValue ?? []
        let byRel = Dictionary(uniqueKeysWithValues: links.compactMap { l in
            l["rel"]?.stringValue.map { ($0, l["href"]?.stringValue ?? "") }
        })
        #expect(byRel["self"] == "http://127.0.0.1:9440\(vmsPath)?$page=1&$limit=5&$orderby=name")
        #expect(byRel["prev"]?.contains("$page=0&$limit=5") == true)
        #expect(byRel["next"]?.contains("$page=2&$limit=5") == true)
        #expect(byRel["last"]?.contains("$page=2&$limit=5") == true)
    }

    @Test func emptyPageOmitsData() throws {
        let app = try TestApp.make()
        let r = app.call("GET", vmsPath + "?%24page=50")
        #expect(r.status == 200)
        #expect(r.json["data"] == nil)
        #expect(r.json.value(atPath: "metadata/totalAvailableResults") == .int(Int64(vms.count)))
    }

    @Test func filtersAndOrdersAgreeWithTheFixtures() throws {
        let app = try TestApp.make()
        let r = app.call("GET", vmsPath + "?%24filter=startswith%28name%2C%27vm-web%27%29&%24orderby=name+desc")
        let names = r.json["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        let expected = vms.compactMap { $0["name"]?.stringValue }.filter { $0.hasPrefix("vm-web") }.sorted(by: >)
        #expect(!expected.isEmpty)
        #expect(names == expected)
        let on = app.call("GET", vmsPath + "?%24filter=powerState+eq+Vmm.Ahv.Config.PowerState%27ON%27&%24limit=100")
        let onCount = vms.filter { $0["powerState"] == .string("ON") }.count
        #expect(on.json["data"]?.arrayValue?.count == onCount)
    }

    @Test func filtersOnlyTheEvaluatorAnswersStillWork() throws {
        let app = try TestApp.make()
        let r = app.call("GET", vmsPath + "?%24filter=matchesPattern%28name%2C%27%5Evm-web-0%5B12%5D%24%27%29&%24orderby=name+desc")
        #expect(r.status == 200)
        let expected = vms.compactMap { $0["name"]?.stringValue }
            .filter { $0 == "vm-web-01" || $0 == "vm-web-02" }.sorted(by: >)
        #expect(r.json["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == expected)
        #expect(r.json.value(atPath: "metadata/totalAvailableResults") == .int(Int64(expected.count)))
    }

    @Test func selectProjectsButKeepsTypeAndId() throws {
        let app = try TestApp.make()
        let r = app.call("GET", vmsPath + "?%24select=name&%24limit=3")
        for item in r.json["data"]?.arrayValue ?? [] {
            let keys = Set(item.objectValue?.keys ?? [])
            #expect(keys == ["extId", "$objectType", "name", "$reserved"])
        }
    }

    @Test(arguments: [
        ("%24filter=nosuch+eq+1", "nosuch"),
        ("%24filter=name+eq", "$filter"),
        ("%24filter=biosUuid+eq+%27x%27", "biosUuid"),
        ("%24limit=101", "$limit"),
        ("%24limit=0", "$limit"),
        ("%24page=-1", "$page"),
        ("%24orderby=description", "description"),
    ])
    func rejectsBadQueryOptionsWithAV4Error(query: String, mentions: String) throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("GET", vmsPath + "?" + query)
        #expect(r.status == 400)
        #expect(r.json["$objectType"] == .string("vmm.v4.ahv.config.ListVmsApiResponse"))
        let message = r.json.value(atPath: "data/error")?.arrayValue?.first?["message"]?.stringValue ?? ""
        #expect(message.contains(mentions))
    }

    @Test func getSendsTheSameETagInHeaderAndReserved() throws {
        let app = try TestApp.make()
        let id = try #require(vms.first?["extId"]?.stringValue)
        let r = app.call("GET", "\(vmsPath)/\(id)")
        #expect(r.status == 200)
        #expect(r.json["$objectType"] == .string("vmm.v4.ahv.config.GetVmApiResponse"))
        let etag = try #require(r.header("ETag"))
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        #expect(r.json.value(atPath: "data/$reserved/ETag") == .string(etag))
        #expect(r.json.value(atPath: "data/name") == vms.first?["name"])
        let again = app.call("GET", "\(vmsPath)/\(id)", headers: [("If-None-Match", etag)])
        #expect(again.status == 304)
        #expect(again.response.body.isEmpty)
        #expect(app.call("GET", "\(vmsPath)/\(id)", headers: [("If-None-Match", "\"other\"")]).status == 200)
    }

    @Test func unknownEntityIsA404InTheNamespaceErrorShape() throws {
        let app = try TestApp.make()
        let r = app.call("GET", "\(vmsPath)/00000000-0000-0000-0000-000000000404")
        #expect(r.status == 404)
        let error = r.json.value(atPath: "data/error")?.arrayValue?.first
        #expect(error?["$objectType"] == .string("vmm.v4.error.AppMessage"))
        #expect(error?["severity"] == .string("ERROR"))
        #expect(error?["code"]?.stringValue?.hasPrefix("VMM-404") == true)
        #expect(r.json.value(atPath: "data/$objectType") == .string("vmm.v4.error.ErrorResponse"))
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let app = try TestApp.make(fixtures: false)
        let r = app.call("PATCH", vmsPath)
        #expect(r.status == 405)
        #expect(r.header("Allow")?.contains("GET") == true)
        #expect(r.header("Allow")?.contains("POST") == true)
    }

    @Test func hostsAreServedUnderTheirCluster() throws {
        let app = try TestApp.make()
        let hosts = FixtureData.items("clustermgmt.config.hosts.json")
        let cluster = try #require(hosts.first?["$pcmock"]?["parentExtId"]?.stringValue)
        let expected = hosts.filter { $0["$pcmock"]?["parentExtId"]?.stringValue == cluster }.count
        let r = app.call("GET", "/api/clustermgmt/v4.3/config/clusters/\(cluster)/hosts")
        #expect(r.status == 200)
        #expect(r.json["data"]?.arrayValue?.count == expected)
        let all = app.call("GET", "/api/clustermgmt/v4.3/config/hosts?%24limit=100")
        #expect(all.json["data"]?.arrayValue?.count == hosts.count)
        let missing = app.call("GET", "/api/clustermgmt/v4.3/config/clusters/00000000-0000-0000-0000-00000000dead/hosts")
        #expect(missing.status == 404)
    }

    @Test func fileTransfersAnswerAnExplicit501() throws {
        let app = try TestApp.make()
        let image = try #require(FixtureData.items("vmm.content.images.json").first?["extId"]?.stringValue)
        let r = app.call("GET", "/api/vmm/v4.3/content/images/\(image)/file")
        #expect(r.status == 501)
        #expect(r.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("NOT_IMPLEMENTED"))
    }

    @Test func malformedPercentEncodingIsA400() throws {
        let app = try TestApp.make(fixtures: false)
        #expect(app.call("GET", "/api/vmm/v4.3/ahv/config/vms/%zz").status == 400)
    }
}

struct TaskListFilterTests {
    @Test func tasksFilterByAffectedEntityWithALambdaAndByImplicitAny() throws {
        let app = try TestApp.make { $0.taskMode = .immediate }
        let category = #"{"key":"Env","value":"X"}"#
        _ = app.call("POST", "/api/prism/v4.4/config/categories", body: category)
        let vm = try #require(FixtureData.items("vmm.ahv.config.vms.json").first?["extId"]?.stringValue)
        let etag = try #require(app.call("GET", "/api/vmm/v4.3/ahv/config/vms/\(vm)").header("ETag"))
        let action = app.call("POST", "/api/vmm/v4.3/ahv/config/vms/\(vm)/$actions/power-off", headers: [("If-Match", etag)])
        #expect(action.status == 202)
        let lambda = "entitiesAffected%2Fany%28e%3Ae%2FextId+eq+%27\(vm)%27%29"
        let byLambda = app.call("GET", "/api/prism/v4.4/config/tasks?%24filter=\(lambda)")
        #expect(byLambda.status == 200)
        #expect(byLambda.json["data"]?.arrayValue?.count == 1)
        let implicit = app.call("GET", "/api/prism/v4.4/config/tasks?%24filter=entitiesAffected%2FextId+eq+%27\(vm)%27")
        #expect(implicit.json["data"]?.arrayValue?.count == 1)
        let none = app.call("GET", "/api/prism/v4.4/config/tasks?%24filter=entitiesAffected%2Fany%28e%3Ae%2Frel+eq+%27nope%27%29")
        #expect(none.status == 200)
        #expect(none.json["data"] == nil)
    }
}
