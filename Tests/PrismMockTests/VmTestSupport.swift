import Foundation
import OData
import Testing

@testable import PrismMock

/// Fixture facts and calls the VM domain tests share. Expected values come from the fixture
/// files, never from pcmock's answers.
enum VmFixture {
    static let vms = "/api/vmm/v4.3/ahv/config/vms"
    static let tasks = "/api/prism/v4.4/config/tasks/"

    static var items: [JSON] { FixtureData.items("vmm.ahv.config.vms.json") }
    /// A VM with a disk, a NIC and a CD-ROM.
    static var full: JSON { items.first { ($0["cdRoms"]?.arrayValue?.count ?? 0) > 0 } ?? .null }
    static var fullId: String { full["extId"]?.stringValue ?? "" }
    static var cluster: String { full.value(atPath: "cluster/extId")?.stringValue ?? "" }

    static func ids(_ file: String) -> [String] {
        FixtureData.items(file).compactMap { $0["extId"]?.stringValue }
    }
    static var subnets: [String] { ids("networking.config.subnets.json") }
    static var images: [String] { ids("vmm.content.images.json") }
    static var categories: [String] { ids("prism.config.categories.json") }
    static let missing = "00000000-0000-4000-8000-00000000dead"

    static func extIds(_ value: JSON?) -> [String] {
        (value?.arrayValue ?? []).compactMap { $0["extId"]?.stringValue }
    }
}

extension PrismMockApp {
    func vm(_ id: String) -> JSON { call("GET", "\(VmFixture.vms)/\(id)").json["data"] ?? .null }

    /// Sends a change with `If-Match` from a GET of `etagOf` (the VM by default); returns the
    /// finished task (the test apps run tasks immediately).
    func vmTask(
        _ method: String, _ path: String, body: String? = nil, etagOf: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> JSON {
        var headers: [(String, String)] = []
        if let etagOf, let tag = call("GET", etagOf).header("ETag") { headers.append(("If-Match", tag)) }
        let r = call(method, path, body: body, headers: headers)
        #expect(r.status == 202, "\(r.text)", sourceLocation: sourceLocation)
        guard let id = r.json.value(atPath: "data/extId")?.stringValue else { return .null }
        return call("GET", VmFixture.tasks + id).json["data"] ?? .null
    }

    /// A new VM on the fixture cluster with `extra` members; returns its extId (nil when the task failed).
    func createVm(_ name: String, extra: String = "") -> (task: JSON, extId: String?) {
        let body = #"{"name":"\#(name)","cluster":{"extId":"\#(VmFixture.cluster)"}\#(extra)}"#
        let task = vmTask("POST", VmFixture.vms, body: body)
        let id = task["completionDetails"]?.arrayValue?.first { $0["name"] == .string("vmExtId") }?["value"]?.stringValue
        return (task, task["status"] == .string("SUCCEEDED") ? id : nil)
    }
}

extension JSON {
    var firstErrorGroup: String? { self["errorMessages"]?.arrayValue?.first?["errorGroup"]?.stringValue }

    /// `entitiesAffected[].extId` with this rel.
    func affected(_ rel: String) -> [String] {
        (self["entitiesAffected"]?.arrayValue ?? []).filter { $0["rel"] == .string(rel) }.compactMap {
            $0["extId"]?.stringValue
        }
    }
}
