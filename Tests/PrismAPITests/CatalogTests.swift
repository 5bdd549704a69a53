import Foundation
import PrismAPI
import Testing

struct CatalogTests {
    @Test func loadsFromDisk() throws {
        let catalog = try Catalog.load(from: Fixtures.openapiDirectory)
        #expect(catalog.namespaces.count == 17)
        #expect(catalog.operations.count == 963)
        // Every document's models decode (they are otherwise decoded on first use).
        try catalog.loadAllModels()
        #expect(catalog.modelNames(in: "vmm").contains("vmm.v4.ahv.config.Vm"))
    }

    /// Operation counts per namespace, from sdk-contract.md section 1.
    @Test(arguments: [
        ("aiops", 18), ("clustermgmt", 121), ("datapolicies", 43), ("dataprotection", 29), ("files", 102),
        ("iam", 54), ("licensing", 22), ("lifecycle", 72), ("microseg", 33), ("monitoring", 23),
        ("networking", 122), ("objects", 17), ("opsmgmt", 17), ("prism", 41), ("security", 27),
        ("vmm", 192), ("volumes", 30),
    ])
    func operationCountPerNamespace(namespace: String, count: Int) throws {
        let catalog = try Fixtures.loadCatalog()
        #expect(catalog.operations(in: namespace).count == count)
    }

    /// API version, `$fv` and SDK release per namespace, from sdk-contract.md section 1 and the
    /// "$fv value per namespace" paragraph.
    @Test(arguments: [
        ("aiops", "v4.0", "v4.r0", "4.0.2"), ("clustermgmt", "v4.3", "v4.r3", "4.3.2"),
        ("datapolicies", "v4.3", "v4.r3", "4.3.2"), ("dataprotection", "v4.4", "v4.r4", "4.4.2"),
        ("files", "v4.0", "v4.r0", "4.0.1"), ("iam", "v4.0", "v4.r0", "4.0.1"),
        ("licensing", "v4.4", "v4.r4", "4.4.2"), ("lifecycle", "v4.3", "v4.r3", "4.3.2"),
        ("microseg", "v4.3", "v4.r3", "4.3.2"), ("monitoring", "v4.3", "v4.r3", "4.3.2"),
        ("networking", "v4.4", "v4.r4", "4.4.2"), ("objects", "v4.1", "v4.r1", "4.1.2"),
        ("opsmgmt", "v4.0", "v4.r0", "4.0.4"), ("prism", "v4.4", "v4.r4", "4.4.2"),
        ("security", "v4.2", "v4.r2", "4.2.1"), ("vmm", "v4.3", "v4.r3", "4.3.2"),
        ("volumes", "v4.3", "v4.r3", "4.3.2"),
    ])
    func namespaceVersions(name: String, apiVersion: String, fv: String, sdkVersion: String) throws {
        let namespace = try #require(try Fixtures.loadCatalog().namespaces[name])
        #expect(namespace.apiVersion == apiVersion)
        #expect(namespace.fv == fv)
        #expect(namespace.sdkVersion == sdkVersion)
        #expect(namespace.sdkPackage == "ntnx-\(name)-py-client")
    }

    @Test func asyncOperationCountMatchesTheContract() throws {
        let catalog = try Fixtures.loadCatalog()
        #expect(catalog.operations.filter(\.returnsTask).count == 448)
        #expect(catalog.operations.filter(\.isList).count == 219)
    }

    @Test func createVmIsATaskReturningPost() throws {
        let operation = try #require(try Fixtures.loadCatalog().operation(namespace: "vmm", operationId: "createVm"))
        #expect(operation.method == "POST")
        #expect(operation.path == "/api/vmm/v4.3/ahv/config/vms")
        #expect(operation.template.description == "/api/vmm/{version}/ahv/config/vms")
        #expect(operation.returnsTask)
        #expect(operation.requestBody == .model("vmm.v4.ahv.config.Vm"))
        #expect(operation.requestBodyRequired)
        #expect(operation.responseModel == "vmm.v4.ahv.config.CreateVmApiResponse")
        #expect(operation.responseDataTypes == ["prism.v4.config.TaskReference"])
        #expect(operation.sdkMethod == "create_vm")
    }

    @Test func getVmByIdTakesExtIdAndReturnsTheVm() throws {
        let operation = try #require(try Fixtures.loadCatalog().operation(namespace: "vmm", operationId: "getVmById"))
        #expect(operation.method == "GET")
        #expect(operation.path == "/api/vmm/v4.3/ahv/config/vms/{extId}")
        #expect(operation.template.parameterNames == ["extId"])
        let extId = try #require(operation.parameter(named: "extId", in: .path))
        #expect(extId.required)
        #expect(!operation.returnsTask)
        #expect(operation.requestBody == nil)
        #expect(operation.responseDataTypes == ["vmm.v4.ahv.config.Vm"])
    }

    @Test func esxiTwinsGetDistinctOperationIds() throws {
        let catalog = try Fixtures.loadCatalog()
        let ahv = try #require(catalog.operation(namespace: "vmm", operationId: "listVms"))
        let esxi = try #require(catalog.operation(namespace: "vmm", operationId: "esxiVmApi_listVms"))
        #expect(ahv.path == "/api/vmm/v4.3/ahv/config/vms")
        #expect(esxi.path == "/api/vmm/v4.3/esxi/config/vms")
        #expect(ahv.sdkMethod == esxi.sdkMethod)
    }

    @Test func getTaskByIdLivesInPrism() throws {
        let catalog = try Fixtures.loadCatalog()
        let operation = try #require(catalog.operation(namespace: "prism", operationId: "getTaskById"))
        #expect(operation.method == "GET")
        #expect(operation.path == "/api/prism/v4.4/config/tasks/{extId}")
        #expect(!operation.returnsTask)
        #expect(operation.parameter(named: "$select", in: .query) != nil)
    }

    /// IAM v4.0 and prism category CRUD are synchronous (sdk-contract.md section g).
    @Test(arguments: [
        ("iam", "createUser"), ("iam", "listUsers"), ("iam", "createUserKey"), ("iam", "revokeUserKey"),
        ("prism", "createCategory"), ("prism", "deleteCategoryById"), ("prism", "updateCategoryById"),
    ])
    func synchronousOperationsReturnNoTask(namespace: String, operationId: String) throws {
        let operation = try #require(try Fixtures.loadCatalog().operation(namespace: namespace,
                                                                          operationId: operationId))
        #expect(!operation.returnsTask)
    }

    @Test func iamReturnsNoTaskAnywhere() throws {
        let catalog = try Fixtures.loadCatalog()
        #expect(catalog.operations(in: "iam").allSatisfy { !$0.returnsTask })
    }

    @Test func listVmsCarriesTheFieldListsOfThe40Docstrings() throws {
        let operation = try #require(try Fixtures.loadCatalog().operation(namespace: "vmm", operationId: "listVms"))
        #expect(operation.listItemModel == "vmm.v4.ahv.config.Vm")
        #expect(operation.filterable?.contains("cluster/extId") == true)
        #expect(operation.filterable?.contains("powerState") == true)
        #expect(operation.sortable == ["memorySizeBytes", "name", "numCoresPerSocket", "numNumaNodes", "numSockets",
                                       "numThreadsPerCore"])
        #expect(operation.expandable == nil)
        #expect(operation.fieldListSource == "ntnx-vmm-py-client 4.0.1 docstring")
    }

    @Test func operationIdsAreUniqueWithinANamespace() throws {
        let catalog = try Fixtures.loadCatalog()
        for operation in catalog.operations {
            let found = catalog.operation(namespace: operation.namespace, operationId: operation.operationId)
            #expect(found?.path == operation.path && found?.method == operation.method,
                    "\(operation.namespace).\(operation.operationId)")
        }
    }

    @Test func everyPathParameterIsDeclared() throws {
        for operation in try Fixtures.loadCatalog().operations {
            let declared = Set(operation.parameters.filter { $0.location == .path }.map(\.name))
            #expect(Set(operation.template.parameterNames) == declared, "\(operation.method) \(operation.path)")
        }
    }

    @Test func noTwoOperationsShareMethodAndVersionlessPath() throws {
        var seen: Set<String> = []
        for operation in try Fixtures.loadCatalog().operations {
            let key = "\(operation.method) \(operation.template)"
            #expect(!seen.contains(key), "\(key)")
            seen.insert(key)
        }
    }
}
