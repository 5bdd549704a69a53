import FoundationEssentials
import OData
import Testing

@testable import PrismMock

/// Every contract rule: rejected with its own 400/428 in strict mode, and in lenient mode served
/// as before but recorded in the contract report.
struct StrictModeTests {
    static let vms = Semantics.vmsPath
    static var fixtureVm: String { FixtureData.items("vmm.ahv.config.vms.json").first?["extId"]?.stringValue ?? "" }
    static var categoryPath: String { "\(Semantics.categoriesPath)/\(Semantics.firstCategory)" }

    static func app(strict: Bool, configure: (inout PrismMockOptions) -> Void = { _ in }) throws -> PrismMockApp {
        try TestApp.make { options in
            options.strict = strict
            configure(&options)
        }
    }

    /// The first AppMessage of a v4 error body.
    static func message(_ r: Reply) -> JSON? { r.json.value(atPath: "data/error")?.arrayValue?.first }

    /// 428 for the missing precondition header (RFC 6585 §3), 400 for every other rule.
    static func expectRejected(_ r: Reply, _ rule: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            r.status == (rule == "STRICT_MISSING_IF_MATCH" ? 428 : 400), "\(r.text)", sourceLocation: sourceLocation)
        let m = message(r)
        #expect(m?["code"] == .string(rule), sourceLocation: sourceLocation)
        #expect(m?["message"]?.stringValue?.hasPrefix(rule + ": ") == true, sourceLocation: sourceLocation)
        #expect(m?["argumentsMap"]?["rule"] == .string(rule), sourceLocation: sourceLocation)
    }

    /// The violations the report holds, as (rule, operationId, count).
    static func recorded(_ app: PrismMockApp) -> [(rule: String, operationId: String, count: Int)] {
        let report = app.call("GET", "/_pcmock/contract-report").json
        return (report["violations"]?.arrayValue ?? []).map {
            ($0["rule"]?.stringValue ?? "", $0["operationId"]?.stringValue ?? "", Int($0["count"]?.numberValue ?? 0))
        }
    }

    static func recorded(_ app: PrismMockApp, _ rule: String) -> Int {
        recorded(app).filter { $0.rule == rule }.reduce(0) { $0 + $1.count }
    }

    // MARK: Query options

    @Test(arguments: [
        ("\(vms)?$limit=2&$top=3", "$top"),
        ("\(vms)?$page=0&limit=5", "limit"),
        ("\(vms)/{vm}?$filter=name%20eq%20'x'", "$filter"),
    ])
    func anUndeclaredQueryOptionIsRejectedInStrictMode(target: String, option: String) throws {
        let path = target.replacing("{vm}", with: StrictModeTests.fixtureVm)
        let strict = try StrictModeTests.app(strict: true)
        let r = strict.call("GET", path)
        StrictModeTests.expectRejected(r, "STRICT_UNKNOWN_QUERY_OPTION")
        #expect(StrictModeTests.message(r)?["argumentsMap"]?["option"] == .string(option))

        let lenient = try StrictModeTests.app(strict: false)
        #expect(lenient.call("GET", path).status == 200)
        #expect(StrictModeTests.recorded(lenient, "STRICT_UNKNOWN_QUERY_OPTION") == 1)
    }

    @Test(arguments: [
        ("\(vms)?$filter=description%20eq%20'x'", "STRICT_FIELD_NOT_FILTERABLE", "description"),
        ("\(vms)?$orderby=powerState", "STRICT_FIELD_NOT_SORTABLE", "powerState"),
        ("\(vms)?$select=name,colour", "STRICT_FIELD_NOT_SELECTABLE", "colour"),
        ("/api/clustermgmt/v4.3/config/clusters?$expand=hosts", "STRICT_FIELD_NOT_EXPANDABLE", "hosts"),
    ])
    func aFieldOutsideThePublishedListsIsRejectedWithItsRule(target: String, rule: String, field: String) throws {
        let strict = try StrictModeTests.app(strict: true)
        let r = strict.call("GET", target)
        StrictModeTests.expectRejected(r, rule)
        #expect(StrictModeTests.message(r)?["argumentsMap"]?["token"] == .string(field))

        // Lenient mode answers the list's own 400, as before, and records the rule.
        let lenient = try StrictModeTests.app(strict: false)
        let plain = lenient.call("GET", target)
        #expect(plain.status == 400)
        #expect(StrictModeTests.message(plain)?["errorGroup"] == .string("INVALID_QUERY"))
        #expect(StrictModeTests.recorded(lenient, rule) == 1)
    }

    @Test func publishedFieldsAndSyntaxErrorsAreNoViolation() throws {
        let app = try StrictModeTests.app(strict: true)
        let ok = app.call(
            "GET", "\(StrictModeTests.vms)?$filter=name%20eq%20'vm-db-01'&$orderby=name%20desc&$select=name&$limit=5")
        #expect(ok.status == 200)
        // A syntax error is the list's own 400 in every mode, not a contract rule.
        let broken = app.call("GET", "\(StrictModeTests.vms)?$filter=name%20eq")
        #expect(broken.status == 400)
        #expect(StrictModeTests.message(broken)?["errorGroup"] == .string("INVALID_QUERY"))
        #expect(StrictModeTests.recorded(app).isEmpty)
    }

    // MARK: Bodies

    @Test func anUnknownBodyMemberIsRejectedInStrictModeAndOnlyRecordedOtherwise() throws {
        let body = #"{"key":"Team","value":"blue","colour":"red"}"#
        let strict = try StrictModeTests.app(strict: true)
        let r = strict.call("POST", Semantics.categoriesPath, body: body)
        StrictModeTests.expectRejected(r, "STRICT_UNKNOWN_BODY_FIELD")
        #expect(StrictModeTests.message(r)?["argumentsMap"]?["attributePath"] == .string("colour"))
        let listed = strict.call("GET", "\(Semantics.categoriesPath)?$filter=key%20eq%20'Team'").json
        #expect(listed["data"]?.arrayValue == nil, "nothing was created")

        let lenient = try StrictModeTests.app(strict: false)
        #expect(lenient.call("POST", Semantics.categoriesPath, body: body).status == 201)
        #expect(StrictModeTests.recorded(lenient, "STRICT_UNKNOWN_BODY_FIELD") == 1)
    }

    @Test func aNestedUnknownMemberIsNamedByItsPath() throws {
        let app = try StrictModeTests.app(strict: true)
        let body = #"{"name":"strict-vm","cluster":{"extId":"\#(Semantics.clusterA)","zone":"a"}}"#
        let r = app.call("POST", StrictModeTests.vms, body: body)
        StrictModeTests.expectRejected(r, "STRICT_UNKNOWN_BODY_FIELD")
        #expect(StrictModeTests.message(r)?["argumentsMap"]?["attributePath"] == .string("cluster.zone"))
    }

    @Test func sdkBookkeepingAndDeclaredReadOnlyFieldsAreAccepted() throws {
        let app = try StrictModeTests.app(strict: true)
        let get = app.call("GET", StrictModeTests.categoryPath)
        let etag = try #require(get.header("ETag"))
        // What an SDK sends back after a GET: the whole entity with `$reserved`, `$objectType`, `extId`, `links`.
        var entity = try #require(get.json["data"]?.objectValue)
        entity["value"] = .string("Renamed")
        entity["$unknownFields"] = .object(JSONObject())
        let r = app.call(
            "PUT", StrictModeTests.categoryPath, body: JSON.object(entity).text, headers: [("If-Match", etag)])
        #expect(r.status == 200, "\(r.text)")
        #expect(StrictModeTests.recorded(app).isEmpty)
    }

    // MARK: Headers

    @Test func aChangeWithoutARequestIdIsRejectedEvenWithTheLenientFlag() throws {
        let body = #"{"key":"Team","value":"green"}"#
        let auth = [("Authorization", TestApp.basicAdmin), ("Content-Type", "application/json")]
        let strict = try StrictModeTests.app(strict: true) { $0.lenientRequestId = true }
        StrictModeTests.expectRejected(
            strict.raw("POST", Semantics.categoriesPath, headers: auth, body: body), "STRICT_MISSING_REQUEST_ID")

        // Lenient mode keeps today's answers: 400 MISSING_REQUEST_ID, or accepted with --lenient-request-id.
        let plain = try StrictModeTests.app(strict: false)
        let r = plain.raw("POST", Semantics.categoriesPath, headers: auth, body: body)
        #expect(r.status == 400)
        #expect(StrictModeTests.message(r)?["errorGroup"] == .string("MISSING_REQUEST_ID"))
        #expect(StrictModeTests.recorded(plain, "STRICT_MISSING_REQUEST_ID") == 1)
        let tolerant = try StrictModeTests.app(strict: false) { $0.lenientRequestId = true }
        #expect(tolerant.raw("POST", Semantics.categoriesPath, headers: auth, body: body).status == 201)
        #expect(StrictModeTests.recorded(tolerant, "STRICT_MISSING_REQUEST_ID") == 1)
        // GETs without one are fine.
        #expect(tolerant.raw("GET", Semantics.categoriesPath, headers: auth).status == 200)
        #expect(StrictModeTests.recorded(tolerant, "STRICT_MISSING_REQUEST_ID") == 1)
    }

    @Test func aChangeWithoutIfMatchIs428NamingTheRuleEvenWithTheLenientFlag() throws {
        let body = #"{"key":"Environment","value":"Renamed"}"#
        let strict = try StrictModeTests.app(strict: true) { $0.lenientIfMatch = true }
        let r = strict.call("PUT", StrictModeTests.categoryPath, body: body)
        StrictModeTests.expectRejected(r, "STRICT_MISSING_IF_MATCH")
        #expect(StrictModeTests.message(r)?["argumentsMap"]?["extId"] == .string(Semantics.firstCategory))
        StrictModeTests.expectRejected(strict.call("DELETE", StrictModeTests.categoryPath), "STRICT_MISSING_IF_MATCH")
        StrictModeTests.expectRejected(
            strict.call("POST", "\(StrictModeTests.vms)/\(StrictModeTests.fixtureVm)/$actions/power-off"),
            "STRICT_MISSING_IF_MATCH")
        #expect(
            strict.call("GET", StrictModeTests.categoryPath).json.value(atPath: "data/value") == .string("Production"))
        // A missing entity is a 404, not a precondition.
        #expect(strict.call("DELETE", "\(Semantics.categoriesPath)/00000000-0000-0000-0000-00000000dead").status == 404)
        #expect(StrictModeTests.recorded(strict, "STRICT_MISSING_IF_MATCH") == 3)

        let plain = try StrictModeTests.app(strict: false)
        let p = plain.call("PUT", StrictModeTests.categoryPath, body: body)
        #expect(p.status == 428)
        #expect(StrictModeTests.message(p)?["errorGroup"] == .string("MISSING_ETAG_HEADER"))
        #expect(StrictModeTests.recorded(plain, "STRICT_MISSING_IF_MATCH") == 1)
        let tolerant = try StrictModeTests.app(strict: false) { $0.lenientIfMatch = true }
        #expect(tolerant.call("PUT", StrictModeTests.categoryPath, body: body).status == 200)
        #expect(StrictModeTests.recorded(tolerant, "STRICT_MISSING_IF_MATCH") == 1)
    }

    // MARK: Tasks

    @Test func readingAnEntityBeforeItsCreatingTaskSucceededNamesTheTask() throws {
        for strict in [true, false] {
            let app = try StrictModeTests.app(strict: strict) { $0.taskMode = .manual }
            let created = app.call("POST", StrictModeTests.vms, body: Semantics.vmBody)
            #expect(created.status == 202)
            let taskId = try #require(created.json.value(atPath: "data/extId")?.stringValue)
            let task = app.call("GET", "/api/prism/v4.4/config/tasks/\(taskId)")
            let vmId = try #require(
                task.json.value(atPath: "data/entitiesAffected")?.arrayValue?.first?["extId"]?.stringValue)
            let early = app.call("GET", "\(StrictModeTests.vms)/\(vmId)")
            if strict {
                StrictModeTests.expectRejected(early, "STRICT_READ_BEFORE_TASK_SUCCEEDED")
                #expect(StrictModeTests.message(early)?["argumentsMap"]?["taskExtId"] == .string(taskId))
                #expect(StrictModeTests.message(early)?["argumentsMap"]?["taskStatus"] == .string("QUEUED"))
            } else {
                #expect(early.status == 404)
            }
            #expect(StrictModeTests.recorded(app, "STRICT_READ_BEFORE_TASK_SUCCEEDED") == 1)
            #expect(app.call("POST", "/_pcmock/tasks/$actions/advance", body: #"{"toCompletion":true}"#).status == 200)
            #expect(app.call("GET", "\(StrictModeTests.vms)/\(vmId)").status == 200)
            // An extId no task creates is a plain 404.
            #expect(app.call("GET", "\(StrictModeTests.vms)/00000000-0000-0000-0000-00000000beef").status == 404)
            #expect(StrictModeTests.recorded(app, "STRICT_READ_BEFORE_TASK_SUCCEEDED") == 1)
        }
    }

    // MARK: Correct use

    @Test func correctUsePassesStrictModeWithoutViolations() throws {
        let app = try StrictModeTests.app(strict: true)
        let created = app.call("POST", Semantics.categoriesPath, body: #"{"key":"Team","value":"strict"}"#)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json.value(atPath: "data/extId")?.stringValue)
        let path = "\(Semantics.categoriesPath)/\(id)"
        let etag = try #require(app.call("GET", path).header("ETag"))
        let updated = app.call("PUT", path, body: #"{"key":"Team","value":"strict-2"}"#, headers: [("If-Match", etag)])
        #expect(updated.status == 200, "\(updated.text)")
        #expect(
            app.call("GET", "\(Semantics.categoriesPath)?$filter=key%20eq%20'Team'&$page=0&$limit=10").status == 200)
        let newTag = try #require(app.call("GET", path).header("ETag"))
        #expect(app.call("DELETE", path, headers: [("If-Match", newTag)]).status == 204)
        #expect(app.call("POST", StrictModeTests.vms, body: Semantics.vmBody).status == 202)
        #expect(StrictModeTests.recorded(app).isEmpty)
    }

    @Test func strictModeIsSwitchedAtRunTime() throws {
        let app = try StrictModeTests.app(strict: false)
        let target = "\(StrictModeTests.vms)?$top=1"
        #expect(app.call("GET", target).status == 200)
        let on = app.call("PUT", "/_pcmock/config", body: #"{"strict":true}"#)
        #expect(on.json["strict"] == .bool(true))
        StrictModeTests.expectRejected(app.call("GET", target), "STRICT_UNKNOWN_QUERY_OPTION")
        #expect(app.call("PUT", "/_pcmock/config", body: #"{"strict":false}"#).status == 200)
        #expect(app.call("GET", target).status == 200)
        #expect(StrictModeTests.recorded(app, "STRICT_UNKNOWN_QUERY_OPTION") == 3)
        #expect(app.call("PUT", "/_pcmock/config", body: #"{"strict":"yes"}"#).status == 400)
        #expect(try StrictModeTests.app(strict: true).call("GET", "/_pcmock/config").json["strict"] == .bool(true))
    }

    @Test func theAdminAPIAndVersionNegotiationAreNotChecked() throws {
        let app = try StrictModeTests.app(strict: true)
        let auth = [("Authorization", TestApp.basicAdmin)]
        #expect(app.raw("POST", "/_pcmock/reset", headers: auth).status == 204)
        #expect(app.raw("OPTIONS", "/api/vmm/unversioned/info", headers: auth).status == 200)
        #expect(StrictModeTests.recorded(app).isEmpty)
    }
}
