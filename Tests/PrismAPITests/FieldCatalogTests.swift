import PrismAPI
import Testing

struct FieldCatalogTests {
    @Test func vmFieldsIncludeNestedAndCollectionPaths() throws {
        let fields = try #require(try Fixtures.loadCatalog().fieldCatalog(for: "vmm.v4.ahv.config.Vm", in: "vmm"))
        #expect(fields["name"]?.type == .string(format: nil))
        #expect(fields["numSockets"]?.type == .integer)
        #expect(fields["cluster/extId"]?.type == .string(format: "uuid"))
        #expect(fields["cluster/extId"]?.isInCollection == false)
        #expect(fields["disks"]?.type == .array(.model("vmm.v4.ahv.config.Disk")))
        let busType = try #require(fields["disks/diskAddress/busType"])
        #expect(busType.isInCollection)
        #expect(busType.enumValues.contains("SCSI"))
        #expect(fields["powerState"]?.enumValues.contains("ON") == true)
        #expect(fields["nonexistent"] == nil)
    }

    @Test func entersOneOfMembers() throws {
        let fields = try #require(try Fixtures.loadCatalog().fieldCatalog(for: "vmm.v4.ahv.config.Vm", in: "vmm"))
        #expect(fields["disks/backingInfo/diskSizeBytes"]?.type == .integer)
        #expect(fields["disks/backingInfo/diskSizeBytes"]?.isInCollection == true)
    }

    @Test func depthLimitStopsDescent() throws {
        let catalog = try Fixtures.loadCatalog()
        let shallow = try #require(catalog.fieldCatalog(for: "vmm.v4.ahv.config.Vm", in: "vmm", maxDepth: 1))
        #expect(shallow["cluster"] != nil)
        #expect(shallow["cluster/extId"] == nil)
        let vm = try #require(catalog.model(named: "vmm.v4.ahv.config.Vm"))
        #expect(shallow.fields.count == vm.properties.count)
    }

    @Test func taskFieldsCoverTheListTasksFilterList() throws {
        let catalog = try Fixtures.loadCatalog()
        let listTasks = try #require(catalog.operation(namespace: "prism", operationId: "listTasks"))
        let item = try #require(listTasks.listItemModel)
        let fields = try #require(catalog.fieldCatalog(for: item, in: "prism"))
        for path in listTasks.filterable ?? [] {
            #expect(fields[path] != nil, "\(path)")
        }
    }

    /// `CategorySummaryOld.childCategories` is a list of `CategorySummaryOld`: the walk must stop.
    @Test func recursiveModelsStayFinite() throws {
        let catalog = try Fixtures.loadCatalog()
        let fields = try #require(catalog.fieldCatalog(for: "prism.v4.config.CategorySummaryOld", in: "prism",
                                                       maxDepth: 20))
        #expect(fields["childCategories"]?.type == .array(.model("prism.v4.config.CategorySummaryOld")))
        #expect(fields["childCategories/childCategories"] == nil)
    }

    @Test func listVmsFilterAndSortFieldsAllExistOnVm() throws {
        let catalog = try Fixtures.loadCatalog()
        let listVms = try #require(catalog.operation(namespace: "vmm", operationId: "listVms"))
        let fields = try #require(catalog.fieldCatalog(for: "vmm.v4.ahv.config.Vm", in: "vmm"))
        for path in (listVms.filterable ?? []) + (listVms.sortable ?? []) {
            #expect(fields[path] != nil, "\(path)")
        }
    }

    @Test func unknownModelHasNoCatalog() throws {
        #expect(try Fixtures.loadCatalog().fieldCatalog(for: "vmm.v4.ahv.config.Nope", in: "vmm") == nil)
    }
}
