import Foundation
import PrismAPI
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
}
