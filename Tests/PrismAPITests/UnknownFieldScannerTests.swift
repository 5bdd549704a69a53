import Foundation
import OData
import PrismAPI
import Testing

/// The byte scanner must find exactly the members `BodyValidator` with `rejectUnknownFields`
/// reports as unknown (the reference), on real documents with members added at every depth.
struct UnknownFieldScannerTests {
    static let fixtures = Fixtures.openapiDirectory.deletingLastPathComponent().appendingPathComponent("fixtures")

    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    static func reference(_ catalog: Catalog, _ namespace: String, _ body: JSON, _ type: SchemaType) -> [String] {
        var validator = BodyValidator(catalog: catalog, namespace: namespace)
        validator.rejectUnknownFields = true
        return validator.validate(body, as: type).filter { $0.kind == .unknownField }.map(\.attributePath).sorted()
    }

    /// `extra` added to every object that is not under a `$` member.
    static func sprinkled(_ value: JSON) -> JSON {
        switch value {
        case .object(var o):
            for m in o where !m.key.hasPrefix("$") { o[m.key] = sprinkled(m.value) }
            o["extra"] = .int(1)
            return .object(o)
        case .array(let items): return .array(items.map(sprinkled))
        default: return value
        }
    }

    @Test func thereAreFixtures() { #expect(Self.files.count >= 10) }

    @Test(arguments: files)
    func agreesWithTheValidatorOnEveryFixtureWithMembersAddedAtEveryDepth(file: String) throws {
        let catalog = try Fixtures.loadCatalog()
        let root = try JSON.parse(Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(file))))
        let objectType = try #require(root["objectType"]?.stringValue)
        let namespace = String(objectType.prefix { $0 != "." })
        let scanner = UnknownFieldScanner(catalog: catalog, namespace: namespace)
        for item in try #require(root["items"]?.arrayValue) {
            for doc in [item, Self.sprinkled(item)] {
                let expected = Self.reference(catalog, namespace, doc, .model(objectType))
                let found = scanner.scan(Array(doc.text.utf8), as: .model(objectType))
                #expect(found?.sorted() == expected, "\(file)")
            }
            // The sprinkled copy has at least the top-level member to find.
            #expect(
                scanner.scan(Array(Self.sprinkled(item).text.utf8), as: .model(objectType))?.contains("extra") == true)
        }
    }

    @Test func findsNestedAndArrayMembersSkipsBookkeepingAndToleratesLayout() throws {
        let catalog = try Fixtures.loadCatalog()
        let scanner = UnknownFieldScanner(catalog: catalog, namespace: "vmm")
        let body = """
            { "name" : "x", "cluster": {"extId": "c", "zone": {"deep": [1, {"a": "}"}]}},
              "disks": [ {"backingInfo": {"diskSizeBytes": 1, "colour": "red", "$objectType": "vmm.v4.ahv.config.VmDisk"},
                          "$objectType": "vmm.v4.ahv.config.Disk"}, null ],
              "$reserved": {"anything": true}, "$unknownFields": {"x": 1},
              "na\\u006de2": "escaped key", "description": "a \\"quoted\\" text", "numSockets": -1.5e3 }
            """
        let found = try #require(scanner.scan(Array(body.utf8), as: .model("vmm.v4.ahv.config.Vm")))
        #expect(found == ["cluster.zone", "disks[0].backingInfo.colour", "name2"])
        let value = try JSON.parse(body)
        #expect(found.sorted() == Self.reference(catalog, "vmm", value, .model("vmm.v4.ahv.config.Vm")))
    }

    @Test(arguments: [
        "", "{", #"{"name":}"#, #"{"name" "x"}"#, #"{"a":1,}"#, "[1,2", #"{"name":"x"} trailing"#, #""open"#,
    ])
    func malformedBodiesAreNil(body: String) throws {
        let scanner = UnknownFieldScanner(catalog: try Fixtures.loadCatalog(), namespace: "vmm")
        #expect(scanner.scan(Array(body.utf8), as: .model("vmm.v4.ahv.config.Vm")) == nil)
    }

    @Test func deepNestingIsSkippedNotRecursedInto() throws {
        let scanner = UnknownFieldScanner(catalog: try Fixtures.loadCatalog(), namespace: "vmm")
        let deep =
            #"{"name":"x","description":"#
            + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(scanner.scan(Array(deep.utf8), as: .model("vmm.v4.ahv.config.Vm")) == [])
    }
}
