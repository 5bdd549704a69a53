import Dispatch
import Foundation
import Synchronization
import Testing

@testable import PrismAPI

struct CatalogIndexTests {
    /// openapi/catalog.index is what `pcmock index-catalog` writes from the committed documents;
    /// after regenerating openapi/, run `pcmock index-catalog` (scripts/generate-openapi does).
    @Test func committedIndexIsCurrent() throws {
        let committed = try Data(
            contentsOf: Fixtures.openapiDirectory.appendingPathComponent(CatalogIndex.fileName))
        let regenerated = try CatalogIndex.generate(from: Fixtures.openapiDirectory)
        #expect(Array(committed) == regenerated, "openapi/catalog.index is stale: run `pcmock index-catalog`")
    }

    /// The catalog start-up takes from the index is the one the JSON documents give.
    @Test func indexedCatalogEqualsParsedCatalog() throws {
        let indexed = try Fixtures.loadCatalog()
        let dir = try Self.documentsWithoutIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        let parsed = try Catalog.load(from: dir)
        #expect(indexed.operations.count == 963)
        #expect(indexed.operations.map(Self.describe) == parsed.operations.map(Self.describe))
        // Details decoded on first use, from the index's bytes, by concurrent first readers.
        let fresh = try Catalog.load(from: Fixtures.openapiDirectory)
        let described = Mutex<[Int: String]>([:])
        DispatchQueue.concurrentPerform(iterations: fresh.operations.count) { position in
            let text = Self.describe(fresh.operations[position])
            described.withLock { $0[position] = text }
        }
        #expect(described.withLock { $0 }.sorted { $0.key < $1.key }.map(\.value) == parsed.operations.map(Self.describe))
        #expect(
            indexed.namespaces.sorted { $0.key < $1.key }.map { "\($0.value)" }
                == parsed.namespaces.sorted { $0.key < $1.key }.map { "\($0.value)" })
        // The models are found through the index's byte ranges.
        try indexed.loadAllModels()
        for namespace in ["vmm", "iam", "volumes"] {
            #expect(indexed.modelNames(in: namespace) == parsed.modelNames(in: namespace))
        }
    }

    /// A document edited after the index was written (its size differs) is read as JSON.
    @Test func changedDocumentIsReadAsJSON() throws {
        let dir = try Self.documentsWithoutIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(CatalogIndex.generate(from: dir)).write(to: dir.appendingPathComponent(CatalogIndex.fileName))
        let vmm = dir.appendingPathComponent("vmm.json")
        let text = try String(contentsOf: vmm, encoding: .utf8)
        #expect(text.contains(#""summary": "List VMs""#))
        try text.replacingOccurrences(of: #""summary": "List VMs""#, with: #""summary": "List the VMs""#)
            .write(to: vmm, atomically: true, encoding: .utf8)
        let catalog = try Catalog.load(from: dir)
        #expect(catalog.operation(namespace: "vmm", operationId: "listVms")?.summary == "List the VMs")
        #expect(catalog.operations.count == 963)
        #expect(catalog.model(named: "vmm.v4.ahv.config.Vm", in: "vmm") != nil)
    }

    /// A damaged index is an error naming it, never a crash or a half-read catalog.
    @Test func truncatedIndexIsRejected() throws {
        let dir = try Self.documentsWithoutIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try CatalogIndex.generate(from: dir)
        let url = dir.appendingPathComponent(CatalogIndex.fileName)
        for length in stride(from: CatalogIndex.magic.count, to: bytes.count, by: 9_973) {
            try Data(bytes[0..<length]).write(to: url)
            #expect {
                _ = try Catalog.load(from: dir)
            } throws: { error in
                guard case .malformed(let file, _, _)? = error as? CatalogError else { return false }
                return file == CatalogIndex.fileName
            }
        }
    }

    /// An index of another format version (a catalog directory kept from another release) is
    /// passed over: the documents load from their JSON instead of failing start-up.
    @Test func indexOfAnotherVersionIsIgnored() throws {
        let dir = try Self.documentsWithoutIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try CatalogIndex.generate(from: dir)
        bytes[CatalogIndex.magic.count - 2] &+= 1  // the version digit before the newline
        try Data(bytes).write(to: dir.appendingPathComponent(CatalogIndex.fileName))
        let catalog = try Catalog.load(from: dir)
        #expect(catalog.operations.count == 963)
    }

    /// Every field of an operation (it is a class: string interpolation names only its type).
    private static func describe(_ op: PrismAPI.Operation) -> String {
        let fields: [Any?] = [
            op.namespace, op.operationId, op.sdkMethod, op.summary, op.apiClass, op.method, op.path,
            op.template.segments, op.parameters, op.requestBody, op.requestBodyRequired, op.requestContentTypes,
            op.responseModel, op.responseDataTypes, op.returnsTask, op.listItemModel, op.filterable, op.sortable,
            op.expandable, op.selectable, op.fieldListSource,
        ]
        return fields.map { String(describing: $0) }.joined(separator: " | ")
    }

    /// A copy of openapi/'s JSON documents, without the index.
    private static func documentsWithoutIndex() throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.openapiDirectory.path)
        where name.hasSuffix(".json") {
            try FileManager.default.copyItem(
                at: Fixtures.openapiDirectory.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }
}
