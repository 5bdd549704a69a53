import OData
import PrismAPI
import Testing

struct ResponseValidatorTests {
    static let vm =
        #"{"extId":"11111111-1111-1111-1111-111111111111","name":"vm-a","numSockets":1,"#
        + #""powerState":"ON","createTime":"2024-05-01T10:00:00.000000Z","#
        + #""disks":[{"backingInfo":{"diskSizeBytes":1024,"$objectType":"vmm.v4.ahv.config.VmDisk"},"#
        + #""$objectType":"vmm.v4.ahv.config.Disk"}],"$objectType":"vmm.v4.ahv.config.Vm","$reserved":{"$fv":"v4.r3"}}"#
    static let metadata =
        #"{"flags":[{"name":"hasError","value":false,"$objectType":"common.v1.config.Flag"}],"#
        + #""$objectType":"common.v1.response.ApiResponseMetadata"}"#

    func problems(_ opId: String, status: Int, _ body: String, ns: String = "vmm") throws -> [String] {
        let catalog = try Fixtures.loadCatalog()
        let op = try #require(catalog.operation(namespace: ns, operationId: opId))
        return ResponseValidator(catalog: catalog).validate(status: status, body: Array(body.utf8), for: op)
            .map { "\($0.attributePath): \($0.message)" }
    }

    func envelope(_ data: String, _ type: String = "vmm.v4.ahv.config.GetVmApiResponse") -> String {
        #"{"data":\#(data),"metadata":\#(Self.metadata),"$objectType":"\#(type)","$reserved":{"$fv":"v4.r3"}}"#
    }

    /// A list envelope with its total, as `listVms` answers.
    func listEnvelope(_ items: String, total: Int = 1) -> String {
        let metadata = Self.metadata.replacing(#"{"flags""#, with: #"{"totalAvailableResults":\#(total),"flags""#)
        return #"{"data":[\#(items)],"metadata":\#(metadata),"$objectType":"vmm.v4.ahv.config.ListVmsApiResponse","#
            + #""$reserved":{"$fv":"v4.r3"}}"#
    }

    @Test func acceptsTheSampleGetEnvelope() throws {
        #expect(try problems("getVmById", status: 200, envelope(Self.vm)) == [])
    }

    @Test func acceptsAListWithItemTypesAndAnEmptyListWithoutData() throws {
        #expect(try problems("listVms", status: 200, listEnvelope(Self.vm)) == [])
        let empty = listEnvelope("", total: 0).replacing(#""data":[],"#, with: "")
        #expect(!empty.contains(#""data""#))
        #expect(try problems("listVms", status: 200, empty) == [])
    }

    @Test func aListNeedsItsTotal() throws {
        let list = envelope("[\(Self.vm)]", "vmm.v4.ahv.config.ListVmsApiResponse")
        #expect(
            try problems("listVms", status: 200, list) == [
                "metadata.totalAvailableResults: a list answer needs metadata.totalAvailableResults"
            ])
    }

    @Test func rejectsAWrongEnvelopeType() throws {
        let found = try problems("getVmById", status: 200, envelope(Self.vm, "vmm.v4.ahv.config.ListVmsApiResponse"))
        #expect(
            found == [
                "$objectType: expected 'vmm.v4.ahv.config.GetVmApiResponse', got 'vmm.v4.ahv.config.ListVmsApiResponse'"
            ])
    }

    @Test func rejectsDataWithoutObjectTypeAndListItemsWithout() throws {
        let untyped = Self.vm.replacing(#","$objectType":"vmm.v4.ahv.config.Vm""#, with: "")
        #expect(try problems("getVmById", status: 200, envelope(untyped)).first?.hasPrefix("data.$objectType") == true)
        let list = listEnvelope(untyped)
        #expect(
            try problems("listVms", status: 200, list) == ["data[0].$objectType: a oneOf list item needs $objectType"])
    }

    @Test func rejectsANestedOneOfWithoutObjectType() throws {
        let bad = Self.vm.replacing(#","$objectType":"vmm.v4.ahv.config.VmDisk""#, with: "")
        let found = try problems("getVmById", status: 200, envelope(bad))
        #expect(found.count == 1)
        #expect(
            found.first?.hasPrefix("data.disks[0].backingInfo.$objectType: a oneOf object needs $objectType") == true)
    }

    @Test(arguments: [
        (#""powerState":"ON""#, #""powerState":"SIDEWAYS""#, "data.powerState: 'SIDEWAYS' is not a member"),
        (#""numSockets":1"#, #""numSockets":"1""#, "data.numSockets: must be an integer"),
        (#""name":"vm-a""#, #""name":7"#, "data.name: must be a string"),
        (
            #""createTime":"2024-05-01T10:00:00.000000Z""#, #""createTime":"yesterday""#,
            "data.createTime: 'yesterday' is not an RFC 3339"
        ),
        (#","$reserved":{"$fv":"v4.r3"}}"#, "}", "data.$reserved: data needs a $reserved object"),
    ])
    func rejectsWrongMembers(original: String, replacement: String, expected: String) throws {
        let bad = Self.vm.replacing(original, with: replacement)
        #expect(bad != Self.vm)
        let found = try problems("getVmById", status: 200, envelope(bad))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func anEmptySuccessBodyIsOnlyFineFor204() throws {
        #expect(try problems("deleteVmById", status: 204, "") == [])
        #expect(try problems("deleteVmById", status: 202, "") == ["$: a 202 needs a JSON body"])
        #expect(try problems("getVmById", status: 404, "") == ["$: a 404 needs a JSON body"])
    }

    @Test func errorsMustCarryTheNamespaceErrorResponse() throws {
        let message =
            #"{"message":"gone","severity":"ERROR","code":"VMM-40401","$objectType":"vmm.v4.error.AppMessage"}"#
        let good = #"{"error":[\#(message)],"$objectType":"vmm.v4.error.ErrorResponse","$reserved":{"$fv":"v4.r3"}}"#
        #expect(try problems("getVmById", status: 404, envelope(good)) == [])
        let errorEnvelope = envelope(good, "vmm.v4.error.ErrorResponse")
        #expect(try problems("getVmById", status: 404, errorEnvelope) == [])
        let foreign = good.replacing("vmm.v4.error.ErrorResponse", with: "prism.v4.error.ErrorResponse")
        #expect(
            try problems("getVmById", status: 404, envelope(foreign)).contains(
                "data.$objectType: an error's data must be 'vmm.v4.error.ErrorResponse'"))
        #expect(
            try problems("getVmById", status: 200, envelope(good)).first?.hasPrefix(
                "data.$objectType: 'vmm.v4.error.ErrorResponse' is not one of") == true)
    }
}
