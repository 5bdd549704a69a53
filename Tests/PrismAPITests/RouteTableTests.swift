import PrismAPI
import Testing

struct RouteTableTests {
    private func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    @Test func findsVmOperationsAtAnyVersion() throws {
        let routes = try Fixtures.loadCatalog().routes
        for version in ["v4.3", "v4.0", "v4.1", "v4.3.b1"] {
            guard case .found(let operation, let parameters) = routes.match(
                method: "POST", segments: segments("/api/vmm/\(version)/ahv/config/vms/abc/$actions/power-on"))
            else {
                Issue.record("power-on not found at \(version)")
                continue
            }
            #expect(operation.operationId == "powerOnVm")
            #expect(parameters == ["extId": "abc"])
        }
    }

    @Test func literalSegmentsWinOverParameters() throws {
        let routes = try Fixtures.loadCatalog().routes
        guard case .found(let action, _) = routes.match(
            method: "POST", segments: segments("/api/iam/v4.0/authn/users/$actions/change-password"))
        else {
            Issue.record("change-password not found")
            return
        }
        #expect(action.sdkMethod == "change_user_password")
        guard case .found(let byId, let parameters) = routes.match(
            method: "GET", segments: segments("/api/iam/v4.0/authn/users/u-1"))
        else {
            Issue.record("getUserById not found")
            return
        }
        #expect(byId.operationId == "getUserById")
        #expect(parameters == ["extId": "u-1"])
    }

    @Test func wrongMethodListsTheAllowedOnes() throws {
        let routes = try Fixtures.loadCatalog().routes
        guard case .methodNotAllowed(let allowed) = routes.match(
            method: "PATCH", segments: segments("/api/vmm/v4.3/ahv/config/vms/x"))
        else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["DELETE", "GET", "PUT"])
    }

    @Test(arguments: ["/api/vmm/v4.3/ahv/config/nothing", "/api/vmm/v5.0/ahv/config/vms", "/api/nope/v4.0/x",
                      "/api/vmm/v4.3/ahv/config/vms//disks", "/"])
    func unknownPathsAreNotFound(path: String) throws {
        let routes = try Fixtures.loadCatalog().routes
        let split = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
        guard case .notFound = routes.match(method: "GET", segments: Array(split)) else {
            Issue.record("\(path) matched")
            return
        }
    }

    @Test func everyCatalogOperationRoutesToItself() throws {
        let catalog = try Fixtures.loadCatalog()
        for operation in catalog.operations {
            let concrete = operation.template.segments.map { segment -> String in
                switch segment {
                case .literal(let text): return text
                case .parameter(let name): return "value-of-\(name)"
                case .version: return "v4.1"
                }
            }
            guard case .found(let found, let parameters) = catalog.routes.match(method: operation.method,
                                                                                 segments: concrete)
            else {
                Issue.record("\(operation.method) \(operation.path) unrouted")
                continue
            }
            #expect(found.path == operation.path && found.namespace == operation.namespace)
            for name in operation.template.parameterNames {
                #expect(parameters[name] == "value-of-\(name)")
            }
        }
    }
}
