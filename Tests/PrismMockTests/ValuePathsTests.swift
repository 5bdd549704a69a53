import EntityStore
import FoundationEssentials
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// The kinds and paths pcmock keeps in the store's side table, and lists answered from it.
struct ValuePathsTests {
    let vms = FixtureData.items("vmm.ahv.config.vms.json")
    let vmsPath = "/api/vmm/v4.3/ahv/config/vms"

    /// A misspelt kind or path would silently cost inserts and never serve a filter.
    @Test func everyDeclaredPathIsFilterableOnItsKindsList() throws {
        for (kind, paths) in ValuePaths.declared {
            let lists = TestApp.catalog.operations.filter { $0.isList && OperationRole($0).collection == kind }
            let list = try #require(lists.first, "no list operation for \(kind)")
            let filterable = Set(list.filterable ?? [])
            for path in paths {
                let published = path.array ?? path.member
                #expect(filterable.contains(published), "\(kind): \(path.key) is not filterable")
            }
        }
        let tasks = try #require(TestApp.catalog.operations.first { $0.operationId == "listTasks" })
        for path in ValuePaths.tasks {
            #expect((tasks.filterable ?? []).contains("\(path.array ?? "")/\(path.member)"), "\(path.key)")
        }
    }

    @Test func listsReadTheSideTableAndAgreeWithTheFixtures() throws {
        let app = try TestApp.make()
        let side = try #require(app.store.sideTable(kind: "vmm:ahv/config/vms"))
        #expect(side.hotColumns.keys.sorted() == ["cluster/extId", "name", "powerState"])
        #expect(side.elements["nics"]?.keys.sorted() == ["networkInfo/subnet/extId"])
        #expect(app.store.taskSideTable?.elements["entitiesAffected"]?.keys.sorted() == ["extId"])

        let names = vms.compactMap { $0["name"]?.stringValue }
        let named = try #require(names.first)
        let byName = app.call("GET", vmsPath + "?%24filter=name+eq+%27\(named)%27")
        #expect(byName.json["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [named])

        let subnets = vms.flatMap { vm in
            (vm["nics"]?.arrayValue ?? []).compactMap { $0.value(atPath: "networkInfo/subnet/extId")?.stringValue }
        }
        let firstSubnet = subnets.first
        let subnet = try #require(firstSubnet)
        // Upper case: GUIDs compare case-insensitively, from the side table as from the document.
        let filter = "nics%2Fany%28n%3An%2FnetworkInfo%2Fsubnet%2FextId+eq+%27\(subnet.uppercased())%27%29"
        let bySubnet = app.call("GET", vmsPath + "?%24filter=\(filter)&%24limit=100")
        let expected = vms.filter { vm in
            (vm["nics"]?.arrayValue ?? []).contains {
                $0.value(atPath: "networkInfo/subnet/extId")?.stringValue == subnet
            }
        }.compactMap { $0["extId"]?.stringValue }
        #expect(!expected.isEmpty)
        #expect(Set(bySubnet.json["data"]?.arrayValue?.compactMap { $0["extId"]?.stringValue } ?? []) == Set(expected))
    }
}
