import Dispatch
import Foundation
import FoundationXML
import OData
import Testing

@testable import PrismMock

/// `GET /_pcmock/contract-report`: what the client called, what it broke, what it never used;
/// as JSON and as JUnit XML.
struct ContractReportTests {
    static let vms = Semantics.vmsPath
    static var fixtureVms: [JSON] { FixtureData.items("vmm.ahv.config.vms.json") }

    static func report(_ app: PrismMockApp) -> JSON { app.call("GET", "/_pcmock/contract-report").json }

    static func namespace(_ report: JSON, _ name: String) -> JSON? {
        report["namespaces"]?.arrayValue?.first { $0["namespace"] == .string(name) }
    }

    static func operation(_ report: JSON, _ ns: String, _ id: String) -> JSON? {
        namespace(report, ns)?["operations"]?.arrayValue?.first { $0["operationId"] == .string(id) }
    }

    @Test func exercisedOperationsAreCountedPerNamespaceWithTheirStatuses() throws {
        let app = try TestApp.make()
        let vm = try #require(ContractReportTests.fixtureVms.first?["extId"]?.stringValue)
        _ = app.call("GET", ContractReportTests.vms)
        _ = app.call("GET", "\(ContractReportTests.vms)?$limit=1")
        _ = app.call("GET", "\(ContractReportTests.vms)?$filter=name%20eq")  // 400
        _ = app.call("GET", "\(ContractReportTests.vms)/\(vm)")
        _ = app.call("GET", "\(ContractReportTests.vms)/00000000-0000-0000-0000-00000000beef")  // 404
        _ = app.call("GET", "/api/vmm/v4.3/no/such/path")  // no operation: not counted
        let report = ContractReportTests.report(app)
        let vmm = try #require(ContractReportTests.namespace(report, "vmm"))
        #expect(vmm["exercised"] == .int(2))
        let vmmTotal = TestApp.catalog.operations.filter { $0.namespace == "vmm" }.count
        #expect(vmm["total"] == .int(Int64(vmmTotal)))
        let list = try #require(ContractReportTests.operation(report, "vmm", "listVms"))
        #expect(list["count"] == .int(3))
        #expect(list["method"] == .string("GET"))
        #expect(list["statuses"] == .object(JSONObject([("200", .int(2)), ("400", .int(1))])))
        let get = try #require(ContractReportTests.operation(report, "vmm", "getVmById"))
        #expect(get["statuses"] == .object(JSONObject([("200", .int(1)), ("404", .int(1))])))
        #expect(report.value(atPath: "summary/requests") == .int(5))
        #expect(report.value(atPath: "summary/operationsExercised") == .int(2))
        #expect(report.value(atPath: "summary/operationsTotal") == .int(Int64(TestApp.catalog.operations.count)))
        let namespaces = report["namespaces"]?.arrayValue?.compactMap { $0["namespace"]?.stringValue } ?? []
        #expect(namespaces == TestApp.catalog.namespaces.keys.sorted())
        #expect(ContractReportTests.namespace(report, "iam")?["exercised"] == .int(0))
        #expect(report["mode"] == .string("lenient"))
    }

    @Test func aViolationCarriesItsRuleOperationRequestIdsAndAnExample() throws {
        let app = try TestApp.make()
        for id in ["req-1", "req-2"] {
            #expect(
                app.call("GET", "\(ContractReportTests.vms)?$top=2", headers: [("NTNX-Request-Id", id)]).status == 200)
        }
        let report = ContractReportTests.report(app)
        let violations = try #require(report["violations"]?.arrayValue)
        #expect(violations.count == 1)
        let v = try #require(violations.first)
        #expect(v["rule"] == .string("STRICT_UNKNOWN_QUERY_OPTION"))
        #expect(v["namespace"] == .string("vmm"))
        #expect(v["operationId"] == .string("listVms"))
        #expect(v["count"] == .int(2))
        #expect(v["status"] == .int(400))
        #expect(v["requestIds"] == .array([.string("req-1"), .string("req-2")]))
        #expect(v.value(atPath: "example/request") == .string("GET \(ContractReportTests.vms)?$top=2"))
        #expect(v.value(atPath: "example/message")?.stringValue?.hasPrefix("STRICT_UNKNOWN_QUERY_OPTION: ") == true)
        #expect(v.value(atPath: "example/argumentsMap/option") == .string("$top"))
        #expect(report.value(atPath: "summary/violations") == .int(2))
        #expect(
            ContractReportTests.operation(report, "vmm", "listVms")?["violations"]
                == .array([.string("STRICT_UNKNOWN_QUERY_OPTION")]))
        let response = app.call("GET", "/_pcmock/contract-report")
        #expect(response.header("X-Pcmock-Violations") == "2")
    }

    @Test func entitiesNoSuccessfulRequestNamedAreUnused() throws {
        let app = try TestApp.make()
        let vms = ContractReportTests.fixtureVms
        let read = try #require(vms.first?["extId"]?.stringValue)
        func unusedVms() -> JSON? {
            ContractReportTests.report(app)["unusedEntities"]?.arrayValue?.first {
                $0["rel"] == .string("vmm:ahv:config:vm")
            }
        }
        #expect(unusedVms()?["unused"] == .int(Int64(vms.count)))
        #expect(unusedVms()?["total"] == .int(Int64(vms.count)))
        // A list shows entities but does not use them; a GET by extId does.
        _ = app.call("GET", ContractReportTests.vms)
        #expect(unusedVms()?["unused"] == .int(Int64(vms.count)))
        #expect(app.call("GET", "\(ContractReportTests.vms)/\(read)").status == 200)
        let after = try #require(unusedVms())
        #expect(after["unused"] == .int(Int64(vms.count - 1)))
        let listed = after["entities"]?.arrayValue?.compactMap { $0["extId"]?.stringValue } ?? []
        #expect(!listed.contains(read))
        #expect(listed.count == vms.count - 1)
        let name = vms.dropFirst().first?["name"]
        #expect(after["entities"]?.arrayValue?.contains { $0["name"] == name } == true)
        // pcmock's own rows (API key hashes) are not the client's to use.
        let kinds =
            ContractReportTests.report(app)["unusedEntities"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        #expect(kinds.allSatisfy { $0.contains(":") })
    }

    @Test func aCreatedEntityIsUnusedUntilReadAndAParentIsUsedByItsChildren() throws {
        let app = try TestApp.make()
        let created = app.call("POST", Semantics.categoriesPath, body: #"{"key":"Team","value":"report"}"#)
        let id = try #require(created.json.value(atPath: "data/extId")?.stringValue)
        func unused(_ rel: String) -> [String] {
            let kind = ContractReportTests.report(app)["unusedEntities"]?.arrayValue?.first {
                $0["rel"] == .string(rel)
            }
            return kind?["entities"]?.arrayValue?.compactMap { $0["extId"]?.stringValue } ?? []
        }
        #expect(unused("prism:config:category").contains(id))
        #expect(app.call("GET", "\(Semantics.categoriesPath)/\(id)").status == 200)
        #expect(!unused("prism:config:category").contains(id))
        let host = try #require(FixtureData.items("clustermgmt.config.hosts.json").first)
        let cluster = try #require(host["$pcmock"]?["parentExtId"]?.stringValue)
        #expect(unused("clustermgmt:config:cluster").contains(cluster))
        #expect(app.call("GET", "/api/clustermgmt/v4.3/config/clusters/\(cluster)/hosts").status == 200)
        #expect(!unused("clustermgmt:config:cluster").contains(cluster))
    }

    @Test func resetKeepsTheReportAndDeleteClearsIt() throws {
        let app = try TestApp.make()
        _ = app.call("GET", "\(ContractReportTests.vms)?$top=2")
        #expect(app.call("POST", "/_pcmock/reset").status == 204)
        #expect(ContractReportTests.report(app).value(atPath: "summary/violations") == .int(1))
        #expect(app.call("DELETE", "/_pcmock/contract-report").status == 204)
        let cleared = ContractReportTests.report(app)
        #expect(cleared.value(atPath: "summary/violations") == .int(0))
        #expect(cleared.value(atPath: "summary/requests") == .int(0))
        #expect(cleared["violations"] == .array([]))
        #expect(ContractReportTests.namespace(cleared, "vmm")?["exercised"] == .int(0))
    }

    @Test func badReportRequestsAre4xx() throws {
        let app = try TestApp.make()
        #expect(app.call("GET", "/_pcmock/contract-report?format=yaml").status == 400)
        #expect(app.call("GET", "/_pcmock/contract-report?formt=json").status == 400)
        let post = app.call("POST", "/_pcmock/contract-report")
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, DELETE")
        #expect(app.raw("GET", "/_pcmock/contract-report").status == 401)
    }

    @Test func concurrentRequestsAreAllCounted() throws {
        let app = try TestApp.make()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 { _ = app.call("GET", "\(ContractReportTests.vms)?$limit=1&$top=1") }
        }
        let report = ContractReportTests.report(app)
        #expect(ContractReportTests.operation(report, "vmm", "listVms")?["count"] == .int(200))
        #expect(report["violations"]?.arrayValue?.first?["count"] == .int(200))
        #expect(report["violations"]?.arrayValue?.first?["requestIds"]?.arrayValue?.count == 5)
    }

    // MARK: JUnit

    /// The parts of a JUnit document CI systems read, parsed with a real XML parser.
    final class JUnitReader: NSObject, XMLParserDelegate {
        struct Suite {
            var attributes: [String: String]
            var cases: [Case] = []
        }
        struct Case {
            var attributes: [String: String]
            var failures: [[String: String]] = []
            var failureText = ""
        }
        var root: [String: String] = [:]
        var rootName = ""
        var suites: [Suite] = []
        var stack: [String] = []
        var unexpected: [String] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            switch (stack.last, name) {
            case (nil, _):
                rootName = name
                root = attributes
            case ("testsuites", "testsuite"): suites.append(Suite(attributes: attributes))
            case ("testsuite", "testcase"): suites[suites.count - 1].cases.append(Case(attributes: attributes))
            case ("testcase", "failure"):
                let s = suites.count - 1
                suites[s].cases[suites[s].cases.count - 1].failures.append(attributes)
            case ("testcase", "system-out"): break
            default: unexpected.append("\(stack.last ?? "") > \(name)")
            }
            stack.append(name)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard stack.last == "failure" else { return }
            let s = suites.count - 1
            suites[s].cases[suites[s].cases.count - 1].failureText += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
    }

    @Test func junitHasASuitePerNamespaceACasePerOperationAndFailuresForViolations() throws {
        let app = try TestApp.make()
        _ = app.call(
            "GET", "\(ContractReportTests.vms)?$top=2&note=%3Cb%3E%26", headers: [("NTNX-Request-Id", "junit-1")])
        _ = app.call(
            "GET", "\(ContractReportTests.vms)/\(ContractReportTests.fixtureVms.first?["extId"]?.stringValue ?? "")")
        _ = app.call("GET", Semantics.categoriesPath)
        let r = app.call("GET", "/_pcmock/contract-report?format=junit")
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("application/xml") == true)
        #expect(r.header("X-Pcmock-Violations") == "1")
        #expect(r.text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        let reader = JUnitReader()
        let parser = XMLParser(data: Data(r.response.body))
        parser.delegate = reader
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(reader.unexpected.isEmpty)
        #expect(reader.rootName == "testsuites")
        #expect(reader.root["tests"] == "3")
        #expect(reader.root["failures"] == "1")
        #expect(reader.suites.map { $0.attributes["name"] ?? "" } == ["prism", "vmm"])
        let vmm = try #require(reader.suites.first { $0.attributes["name"] == "vmm" })
        #expect(vmm.attributes["tests"] == "2")
        #expect(vmm.attributes["failures"] == "1")
        #expect(vmm.attributes["errors"] == "0")
        #expect(vmm.cases.map { $0.attributes["name"] ?? "" }.sorted() == ["getVmById", "listVms"])
        let list = try #require(vmm.cases.first { $0.attributes["name"] == "listVms" })
        #expect(list.attributes["classname"] == "vmm.VmApi")
        #expect(list.failures.count == 1)
        #expect(list.failures.first?["type"] == "STRICT_UNKNOWN_QUERY_OPTION")
        #expect(list.failureText.contains("junit-1"))
        #expect(list.failureText.contains("?$top=2&note=%3Cb%3E%26"))
        #expect(vmm.cases.first { $0.attributes["name"] == "getVmById" }?.failures.isEmpty == true)
        let prism = try #require(reader.suites.first { $0.attributes["name"] == "prism" })
        #expect(prism.attributes["failures"] == "0")
    }

    @Test func anEmptyReportIsValidJUnit() throws {
        let app = try TestApp.make()
        let r = app.call("GET", "/_pcmock/contract-report?format=junit")
        let reader = JUnitReader()
        let parser = XMLParser(data: Data(r.response.body))
        parser.delegate = reader
        #expect(parser.parse())
        #expect(reader.rootName == "testsuites")
        #expect(reader.root["tests"] == "0")
        #expect(reader.suites.isEmpty)
    }

    @Test func xmlEscapingCoversMarkupQuotesAndControlCharacters() {
        #expect(XML.escape(#"a<b>&"c"'d"#) == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d")
        #expect(XML.escape("x\u{01}y\ttab") == "x\u{FFFD}y\ttab")
    }
}
