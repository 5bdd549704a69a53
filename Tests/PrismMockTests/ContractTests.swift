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
