import FoundationEssentials
import Testing

@testable import PrismMock

struct ContractReportUseTests {
    /// The report skips re-inserting the entity it recorded last; entities in between and
    /// operations at different positions still count on their own.
    @Test func repeatedEntitiesAndPositionsCount() {
        let report = ContractReport(clock: { Date(timeIntervalSince1970: 0) })
        let a = ContractReport.EntityRef(namespace: "vmm", kind: "vmm:ahv/config/vms", extId: "a")
        let b = ContractReport.EntityRef(namespace: "vmm", kind: "vmm:ahv/config/vms", extId: "b")
        let get = ContractReport.OperationKey(namespace: "vmm", operationId: "getVmById")
        let list = ContractReport.OperationKey(namespace: "vmm", operationId: "listVms")
        report.exercised(get, position: 7, status: 200, used: a, nil)
        report.exercised(get, position: 7, status: 200, used: b, nil)
        report.exercised(get, position: 7, status: 404, used: a, nil)
        report.exercised(list, position: 2, status: 200, used: nil, nil)
        let state = report.snapshot
        #expect(state.used == [a, b])
        #expect(state.requests == 4)
        #expect(state.operations[get]?.count == 3)
        #expect(state.operations[get]?.statuses.map(\.status) == [200, 404])
        #expect(state.operations[list]?.count == 1)
        report.clear()
        report.exercised(list, position: 2, status: 200, used: a, nil)
        #expect(report.snapshot.used == [a])
        #expect(report.snapshot.operations[get] == nil)
    }
}
