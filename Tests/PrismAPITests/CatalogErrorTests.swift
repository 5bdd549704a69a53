import Dispatch
import Foundation
import PrismAPI
import Synchronization
import Testing

struct CatalogErrorTests {
    @Test func missingDirectoryIsUnreadable() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prismapi-missing-\(UUID().uuidString)")
        #expect {
            _ = try Catalog.load(from: url)
        } throws: { error in
            if case .unreadable = error as? CatalogError { return true }
            return false
        }
    }

    @Test func directoryWithoutDocumentsIsEmpty() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: CatalogError.empty(directory: directory.path)) { try Catalog.load(from: directory) }
    }

    @Test func invalidJSONNamesFileAndOffset() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{\"openapi\": \"3.0.3\",}".utf8).write(to: directory.appendingPathComponent("broken.json"))
        #expect(throws: CatalogError.invalidJSON(file: "broken.json", offset: 20, reason: "expected a key")) {
            try Catalog.load(from: directory)
        }
    }

    @Test func documentWithoutInfoIsMalformed() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{\"paths\": {}}".utf8).write(to: directory.appendingPathComponent("x.json"))
        #expect(throws: CatalogError.malformed(file: "x.json", at: "info", reason: "object expected")) {
            try Catalog.load(from: directory)
        }
    }

    @Test func minimalDocumentLoads() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let document = """
            {"info": {"x-namespace": "demo", "version": "v4.1", "x-fv": "v4.r1", "x-sdk-package": "p",
              "x-sdk-version": "4.1.0"},
             "paths": {"/api/demo/v4.1/config/things/{extId}": {"get": {"operationId": "getThingById",
               "x-sdk-method": "get_thing_by_id", "x-returns-task": false,
               "parameters": [{"name": "extId", "in": "path", "required": true, "schema": {"type": "string"}}]}}},
             "components": {"schemas": {"demo.v4.config.Color": {"type": "string", "enum": ["RED"],
               "x-object-type": "demo.v4.config.Color", "x-fv": "v4.r1"}}}}
            """
        try Data(document.utf8).write(to: directory.appendingPathComponent("demo.json"))
        let catalog = try Catalog.load(from: directory)
        #expect(catalog.namespaces["demo"]?.minimumServerVersion == nil)
        #expect(catalog.operation(namespace: "demo", operationId: "getThingById")?.template.parameterNames == ["extId"])
        #expect(catalog.model(named: "demo.v4.config.Color")?.enumValues == ["RED"])
    }

    /// A demo document whose one model is `model` (JSON text of its schema object).
    private func demoDocument(model: String) -> String {
        """
        {"components": {"schemas": {"demo.v4.config.Color": \(model)}},
         "info": {"x-namespace": "demo", "version": "v4.1", "x-fv": "v4.r1", "x-sdk-package": "p",
           "x-sdk-version": "4.1.0"},
         "paths": {"/api/demo/v4.1/config/things": {"get": {"operationId": "listThings",
           "x-sdk-method": "list_things", "x-returns-task": false}}}}
        """
    }

    /// Models are decoded on first use, but a model that cannot be decoded is still reported:
    /// by `loadAllModels()` (which `--self-check` runs at start), naming the file and the field.
    @Test func malformedModelIsReportedByLoadAllModels() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = #"{"type": "string", "enum": ["RED"], "x-fv": "v4.r1"}"#
        try Data(demoDocument(model: model).utf8).write(to: directory.appendingPathComponent("demo.json"))
        let catalog = try Catalog.load(from: directory)
        #expect(catalog.operation(namespace: "demo", operationId: "listThings") != nil)
        #expect(catalog.model(named: "demo.v4.config.Color", in: "demo") == nil)
        #expect(throws: CatalogError.malformed(file: "demo.json", at: "demo.v4.config.Color.x-object-type", reason: "missing")) {
            try catalog.loadAllModels()
        }
    }

    /// Start-up only matches the schemas' brackets; a syntax error inside them is reported,
    /// with its file and offset, when the models are decoded.
    @Test func invalidJSONInsideSchemasIsReportedByLoadAllModels() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = demoDocument(model: #"{"type": "string", "enum": ["RED",]}"#)
        try Data(text.utf8).write(to: directory.appendingPathComponent("demo.json"))
        let catalog = try Catalog.load(from: directory)
        let offset = try #require(text.utf8.firstIndex(of: UInt8(ascii: "]"))).utf16Offset(in: text)
        #expect(throws: CatalogError.invalidJSON(file: "demo.json", offset: offset, reason: "string expected")) {
            try catalog.loadAllModels()
        }
    }

    /// Unbalanced schemas still fail the load: the document cannot be read past them.
    @Test func unterminatedSchemasFailTheLoad() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"components": {"schemas": {"a": {"type": "string"}"#.utf8)
            .write(to: directory.appendingPathComponent("demo.json"))
        #expect(throws: CatalogError.invalidJSON(file: "demo.json", offset: 27, reason: "unterminated object")) {
            try Catalog.load(from: directory)
        }
    }

    /// Many threads asking for a namespace's models at once all get them (decoded once, under a
    /// lock).
    @Test func concurrentFirstLookupsAllSeeTheModel() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = #"{"type": "string", "enum": ["RED"], "x-fv": "v4.r1", "x-object-type": "demo.v4.config.Color"}"#
        try Data(demoDocument(model: model).utf8).write(to: directory.appendingPathComponent("demo.json"))
        let catalog = try Catalog.load(from: directory)
        let seen = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if catalog.model(named: "demo.v4.config.Color", in: "demo")?.enumValues == ["RED"] {
                seen.withLock { $0 += 1 }
            }
        }
        #expect(seen.withLock { $0 } == 16)
        try catalog.loadAllModels()
    }
}
