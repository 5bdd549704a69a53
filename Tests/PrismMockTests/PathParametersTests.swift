import HTTPServer
import PrismAPI
import Testing

@testable import PrismMock

struct PathParametersTests {
    @Test func looksUpByNameAndReplacesARepeatedName() {
        var p = PathParameters()
        #expect(p.isEmpty)
        p["vmExtId"] = "a"
        p["extId"] = "b"
        p["vmExtId"] = "c"
        #expect(p["vmExtId"] == "c")
        #expect(p["extId"] == "b")
        #expect(p["missing"] == nil)
        p["extId"] = nil
        #expect(p["extId"] == nil)
        #expect(p == ["vmExtId": "c"])
        #expect(p != ["vmExtId": "a"])
    }

    /// `Contract.route` fills the parameters from the template itself: the same names and values
    /// the template's own matching gives, for every operation with parameters.
    @Test func routeGivesTheTemplatesParameters() throws {
        let contract = Contract(catalog: TestApp.catalog)
        var checked = 0
        for (position, op) in TestApp.catalog.operations.enumerated() where !op.template.parameterNames.isEmpty {
            let path = op.template.segments.map { segment -> String in
                switch segment {
                case .literal(let text): return text
                case .version: return "v4.1"
                case .parameter(let name): return "value-of-" + name
                }
            }
            let request = HTTPRequest(method: op.method, target: "/api/" + path.dropFirst().joined(separator: "/"))
            guard let route = contract.route(request) else {
                Issue.record("\(op.operationId) not routed")
                continue
            }
            // A literal path can shadow a parameter (`/$actions/…`); only compare the operation it reached.
            guard route.position == position else { continue }
            let expected = op.template.match(route.target.segments) ?? [:]
            #expect(route.parameters == PathParameters(expected), "\(op.operationId)")
            checked += 1
        }
        #expect(checked > 100)
    }
}
