import PrismAPI
import Testing

struct PathTemplateTests {
    @Test func splitsLiteralsParametersAndTheVersion() {
        let template = PathTemplate("/api/vmm/v4.3/ahv/config/vms/{extId}/$actions/power-on")
        #expect(template.segments == [
            .literal("api"), .literal("vmm"), .version, .literal("ahv"), .literal("config"), .literal("vms"),
            .parameter("extId"), .literal("$actions"), .literal("power-on"),
        ])
        #expect(template.parameterNames == ["extId"])
        #expect(template.description == "/api/vmm/{version}/ahv/config/vms/{extId}/$actions/power-on")
    }

    @Test func templatesOfDifferentVersionsAreEqual() {
        let newest = PathTemplate("/api/prism/v4.4/config/tasks/{extId}")
        #expect(newest == PathTemplate("/api/prism/v4.0/config/tasks/{extId}"))
        #expect(PathTemplate("/api/prism/v4.4/config/tasks") != PathTemplate("/api/vmm/v4.4/config/tasks"))
    }

    @Test(arguments: ["v4.0", "v4.3", "v4.10", "v4.3.b1", "v4.3.a12"])
    func acceptsVersionSegments(segment: String) {
        #expect(PathTemplate.isVersionSegment(segment))
        let match = PathTemplate("/api/vmm/v4.3/ahv/config/vms/{extId}").match(["api", "vmm", segment, "ahv", "config",
                                                                                 "vms", "abc"])
        #expect(match == ["extId": "abc"])
    }

    @Test(arguments: ["v4", "v4.", "v5.0", "v4.x", "v4.3.c1", "v4.3.b", "v4.3b1", "V4.3", "unversioned", "",
                       "v4.3.", "v4.3.a", "v4.3.a1b", "v4.3.b1.a1", "v4.-1", "v4.3 "])
    func rejectsOtherSegments(segment: String) {
        #expect(!PathTemplate.isVersionSegment(segment))
    }

    @Test func matchRequiresLiteralsAndLength() {
        let template = PathTemplate("/api/vmm/v4.3/ahv/config/vms/{vmExtId}/disks/{extId}")
        #expect(template.match(["api", "vmm", "v4.1", "ahv", "config", "vms", "a", "disks", "b"])
                == ["vmExtId": "a", "extId": "b"])
        #expect(template.match(["api", "vmm", "v4.1", "ahv", "config", "vms", "a", "nics", "b"]) == nil)
        #expect(template.match(["api", "vmm", "v4.1", "ahv", "config", "vms", "a", "disks"]) == nil)
        #expect(template.match(["api", "vmm", "v4.1", "ahv", "config", "vms", "", "disks", "b"]) == nil)
    }

    @Test func everyCatalogTemplateMatchesItsOwnPathAtAnotherVersion() throws {
        for operation in try Fixtures.loadCatalog().operations {
            var segments = operation.path.split(separator: "/").map(String.init)
            segments[2] = "v4.0"
            let values = segments.map { $0.hasPrefix("{") ? "x" : $0 }
            #expect(operation.template.match(values) != nil, "\(operation.path)")
        }
    }
}
