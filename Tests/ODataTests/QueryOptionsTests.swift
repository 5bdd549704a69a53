import Testing

@testable import OData

struct QueryOptionsTests {
    static func error(_ body: () throws -> Void) -> ODataError? {
        do {
            try body()
            return nil
        } catch {
            return error as? ODataError
        }
    }

    @Test func pagingDefaultsAndLimits() throws {
        let defaults = try ODataQuery.parse(catalog: Fixtures.catalog)
        #expect(defaults.page == 0 && defaults.limit == 50 && defaults.offset == 0)
        let explicit = try ODataQuery.parse(page: "3", limit: "100", catalog: Fixtures.catalog)
        #expect(explicit.page == 3 && explicit.limit == 100 && explicit.offset == 300)
        #expect(try ODataQuery.parse(limit: "1", catalog: Fixtures.catalog).limit == 1)
        for limit in ["0", "101", "-1", "abc", "1.5"] {
            let error = QueryOptionsTests.error { _ = try ODataQuery.parse(limit: limit, catalog: Fixtures.catalog) }
            #expect(error?.description == "$limit: must be an integer between 1 and 100 at 0, found '\(limit)'")
        }
        for page in ["-1", "x"] {
            let error = QueryOptionsTests.error { _ = try ODataQuery.parse(page: page, catalog: Fixtures.catalog) }
            #expect(error?.option == "$page")
            #expect(error?.kind == .invalidOption)
        }
    }

    @Test func selectParsesPathsAndStar() throws {
        #expect(
            try ODataQuery.parse(select: "name,extId", catalog: Fixtures.catalog).select
                == .paths([["name"], ["extId"]]))
        #expect(
            try ODataQuery.parse(select: "stats/hypervisorCpuUsagePpm, extId", catalog: Fixtures.catalog).select
                == .paths([["stats", "hypervisorCpuUsagePpm"], ["extId"]]))
        #expect(try ODataQuery.parse(select: "*", catalog: Fixtures.catalog).select == .all)
        #expect(try ODataQuery.parse(select: "", catalog: Fixtures.catalog).select == .all)
        let bad = QueryOptionsTests.error {
            _ = try ODataQuery.parse(select: "name,extId = 5", catalog: Fixtures.catalog)
        }
        #expect(bad?.description == "$select: expected a property path at 5, found 'extId = 5'")
        let unselectable = QueryOptionsTests.error {
            _ = try ODataQuery.parse(select: "name,secret", catalog: Fixtures.catalog, selectable: ["name"])
        }
        #expect(unselectable?.kind == .unknownProperty)
        #expect(unselectable?.offset == 5)
    }

    @Test func projectionKeepsTypeInformation() throws {
        let document: JSON = .object([
            "$objectType": .string("vmm.v4.ahv.config.Vm"), "extId": .string("1"), "name": .string("a"),
            "description": .string("d"), "cluster": .object(["extId": .string("c"), "name": .string("n")]),
        ])
        let projected = document.projected(.paths([["name"], ["cluster", "name"]]))
        #expect(
            projected
                == .object([
                    "$objectType": .string("vmm.v4.ahv.config.Vm"), "extId": .string("1"), "name": .string("a"),
                    "cluster": .object(["extId": .string("c"), "name": .string("n")]),
                ]))
        #expect(document.projected(.all) == document)
    }

    @Test func expandValidatesNamesAndParsesNestedOptions() throws {
        let query = try ODataQuery.parse(
            expand: "cluster($select=name;$filter=name eq 'x'),vpc", catalog: Fixtures.catalog,
            expandable: ["cluster", "vpc"])
        #expect(query.expand.map(\.name) == ["cluster", "vpc"])
        #expect(query.expand[0].select == .paths([["name"]]))
        #expect(query.expand[0].options["filter"] == "name eq 'x'")
        #expect(query.expand[0].filter.map(Printer.print) == "name eq 'x'")
        let notExpandable = QueryOptionsTests.error {
            _ = try ODataQuery.parse(expand: "cluster,role", catalog: Fixtures.catalog, expandable: ["cluster"])
        }
        #expect(notExpandable?.description == "$expand: 'role' cannot be expanded at 8, found 'role'")
        let badFilter = QueryOptionsTests.error {
            _ = try ODataQuery.parse(
                expand: "cluster($filter=name eq)", catalog: Fixtures.catalog,
                expandable: ["cluster"])
        }
        #expect(badFilter?.offset == 23)
        let unbalanced = QueryOptionsTests.error {
            _ = try ODataQuery.parse(expand: "cluster($select=name", catalog: Fixtures.catalog, expandable: ["cluster"])
        }
        #expect(unbalanced?.kind == .syntax)
        let unknownOption = QueryOptionsTests.error {
            _ = try ODataQuery.parse(expand: "cluster($bogus=1)", catalog: Fixtures.catalog, expandable: ["cluster"])
        }
        #expect(unknownOption?.kind == .invalidOption)
    }

    @Test func orderByValidatesSortableFieldsAndDirections() throws {
        let query = try ODataQuery.parse(orderby: "name DESC, cluster/name asc,createTime", catalog: Fixtures.catalog)
        #expect(query.orderBy.map(\.descending) == [true, false, false])
        let notSortable = QueryOptionsTests.error {
            _ = try ODataQuery.parse(orderby: "name,numSockets desc", catalog: Fixtures.catalog, sortable: ["name"])
        }
        #expect(notSortable?.description == "$orderby: 'numSockets' is not sortable at 5, found 'numSockets'")
        #expect(
            QueryOptionsTests.error {
                _ = try ODataQuery.parse(orderby: "create_time desc", catalog: Fixtures.catalog)
            }?
            .kind == .unknownProperty)
        #expect(
            QueryOptionsTests.error { _ = try ODataQuery.parse(orderby: "name sideways", catalog: Fixtures.catalog) }?
                .description == "$orderby: expected 'asc', 'desc', ',' or end of input at 5, found 'sideways'")
        #expect(
            QueryOptionsTests.error { _ = try ODataQuery.parse(orderby: "tags", catalog: Fixtures.catalog) }?
                .kind == .typeMismatch)
    }

    @Test func nutanixClientFiltersAreAccepted() throws {
        let clusters = FieldCatalog([
            "config/clusterFunction": .array(.enumeration(EnumType(["AOS", "PRISM_CENTRAL", "ONE_NODE"]))),
            "name": .string, "extId": .guid,
        ])
        let pc: JSON = .object(["config": .object(["clusterFunction": .array([.string("PRISM_CENTRAL")])])])
        let filter = "config/clusterFunction/any(t:t eq Clustermgmt.Config.ClusterFunctionRef'PRISM_CENTRAL')"
        #expect(try ODataQuery.parse(filter: filter, catalog: clusters).matches(pc))
        #expect(
            try !ODataQuery.parse(
                filter: filter.replacingOccurrences(of: "PRISM_CENTRAL", with: "AOS"),
                catalog: clusters
            ).matches(pc))
        for filter in [
            "name eq 'a'  and extId eq 0005f7bf-3e2b-4a41-0000-000000029d0e ", "name in ('scenario01')",
            "not (name eq 'x')", "name startswith 'Create_'", "name ne null", "extId eq 'invalid'",
        ] {
            #expect(throws: Never.self) { try ODataQuery.parse(filter: filter, catalog: clusters) }
        }
    }
}
