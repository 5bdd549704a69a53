import PrismAPI
import Testing

@testable import PrismMock

struct ContractTests {
    /// Nested and top-level collections meet under `<ns>:<last segment>` (`aliasNestedCollections`).
    @Test(arguments: [
        ("vmm:ahv/config/vms/{}/disks", "vmm:disks"),
        ("clustermgmt:config/clusters/{}/hosts", "clustermgmt:hosts"),
        ("clustermgmt:config/hosts", "clustermgmt:hosts"),
        ("prism:config/tasks/", "prism:tasks"),
        ("prism:config//tasks", "prism:tasks"),
    ])
    func lastSegmentKeyNamesTheCollection(key: String, expected: String) {
        #expect(Contract.lastSegmentKey(key) == expected)
    }

    @Test func emptyKeyHasNoSegment() {
        #expect(Contract.lastSegmentKey("") == nil)
        #expect(Contract.lastSegmentKey("///") == nil)
    }
}

struct ContractRolesTests {
    /// Roles worked out per namespace in parallel are the roles worked out over the whole
    /// catalog at once (nested collections alias only within their namespace).
    @Test func perNamespaceRolesEqualWholeCatalogRoles() throws {
        let catalog = TestApp.catalog
        let whole = Contract.aliasNestedCollections(catalog.operations.map(OperationRole.init))
        let parallel = Contract.roles(of: catalog.operations)
        #expect(parallel == whole)
        #expect(parallel.count == 963)
        // Something is aliased at all, so the comparison covers the aliasing.
        #expect(zip(whole, catalog.operations.map(OperationRole.init)).contains { $0 != $1 })
    }

    /// A request gets its role by the router's position of the operation; that is the role worked
    /// out for that operation's namespace and id, for every operation the router reaches.
    @Test func routedRoleIsTheKeyedRole() throws {
        let contract = Contract(catalog: TestApp.catalog)
        let keyed = Dictionary(
            uniqueKeysWithValues: zip(
                TestApp.catalog.operations.map(Contract.key), Contract.roles(of: TestApp.catalog.operations)))
        var reached = 0
        for op in TestApp.catalog.operations {
            let segments = op.template.segments.map { segment -> String in
                switch segment {
                case .literal(let text): text
                case .parameter: "00000000-0000-0000-0000-000000000001"
                case .version: "v4.0"
                }
            }
            guard case .found(let found, let role, _) = contract.match(method: op.method, segments: segments),
                found.namespace == op.namespace, found.operationId == op.operationId
            else { continue }
            reached += 1
            #expect(role == keyed[Contract.key(op)], "\(Contract.key(op))")
        }
        #expect(reached > 900)
    }
}
