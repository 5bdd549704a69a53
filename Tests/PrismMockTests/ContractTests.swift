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
    /// The roles derived per namespace over the trie of collections (`NamespaceRoles`) are the
    /// roles of the straightforward rule (each operation's own role, then nested collections
    /// aliased over the whole catalog), for every operation, whichever namespace is asked first.
    @Test func namespaceRolesEqualStraightforwardRoles() throws {
        let operations = TestApp.catalog.operations
        let unaliased = operations.map(OperationRole.init)
        let straightforward = Contract.aliasNestedCollections(unaliased)
        let table = RoleTable(operations: operations)
        // Last operation first: namespaces are derived on first use, in any order.
        let derived = operations.indices.reversed().map(table.role(at:)).reversed()
        #expect(Array(derived) == straightforward)
        #expect(table.all == straightforward)
        #expect(straightforward.count == 963)
        // Something is aliased at all, so the comparison covers the aliasing.
        #expect(zip(straightforward, unaliased).contains { $0 != $1 })
        #expect(straightforward.contains { $0.parentCollection != nil })
        // One run of operations per namespace: the table keeps a namespace's roles together.
        var runs = 1
        for i in operations.indices.dropFirst() where operations[i].namespace != operations[i - 1].namespace { runs += 1 }
        #expect(runs == Set(operations.map(\.namespace)).count)
    }

    /// The item model of a listed collection, as the straightforward roles name it.
    @Test func listItemModelsFollowTheListRoles() throws {
        let operations = TestApp.catalog.operations
        let table = RoleTable(operations: operations)
        var expected: [String: String] = [:]
        for (op, role) in zip(operations, Contract.aliasNestedCollections(operations.map(OperationRole.init)))
        where role.kind == .list {
            if let item = op.listItemModel, expected[role.collection] == nil { expected[role.collection] = item }
        }
        #expect(expected.count > 100)
        for (collection, item) in expected {
            let namespace = String(collection.prefix { $0 != ":" })
            #expect(table.listItemModel(collection: collection, namespace: namespace) == item, "\(collection)")
        }
        #expect(table.listItemModel(collection: "vmm:no/such", namespace: "vmm") == nil)
    }

    /// A request gets its role by the router's position of the operation; that is the role worked
    /// out for that operation's namespace and id, for every operation the router reaches.
    @Test func routedRoleIsTheKeyedRole() throws {
        let contract = Contract(catalog: TestApp.catalog)
        let keyed = Dictionary(
            uniqueKeysWithValues: zip(
                TestApp.catalog.operations.map(Contract.key),
                Contract.aliasNestedCollections(TestApp.catalog.operations.map(OperationRole.init))))
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
