import PrismAPI
import Testing

@testable import PrismMock

struct VmServiceUnmodelledTests {
    /// `VmService` looks an operation up in `unmodelled` only when the request is not a GET.
    @Test func everyUnmodelledOperationIsAnAction() throws {
        for (operationId, _) in VmService.unmodelled {
            let op = try #require(TestApp.catalog.operation(namespace: "vmm", operationId: operationId), "\(operationId)")
            #expect(op.method == "POST", "\(operationId)")
        }
    }
}
