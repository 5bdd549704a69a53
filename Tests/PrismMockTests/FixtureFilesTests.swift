import Foundation
import OData
import Testing

@testable import PrismMock

struct FixtureFilesTests {
    private static var directory: URL { TestApp.repoRoot.appendingPathComponent("fixtures") }

    /// The streamed copy of each committed item is byte for byte what parsing the item and
    /// writing it back out (without `$pcmock` and `$reserved`) gives, as the store kept before.
    @Test func streamedDocumentsEqualParsedAndRewrittenOnes() throws {
        let files = try FixtureFiles.read(directory: Self.directory)
        #expect(files.files.count >= 10)
        for file in files.files {
            let items = FixtureData.items(file.name)
            #expect(items.count == file.items.count, "\(file.name)")
            for (item, read) in zip(items, file.items) {
                var doc = try #require(item.objectValue)
                #expect(read.extId == doc["extId"]?.stringValue)
                #expect(read.parentExtId == doc["$pcmock"]?["parentExtId"]?.stringValue)
                #expect(read.apiKeySha256 == doc["$pcmock"]?["apiKeySha256"]?.stringValue)
                doc["$pcmock"] = nil
                doc["$reserved"] = nil
                #expect(read.document == JSON.object(doc).text, "\(file.name) \(read.extId)")
            }
        }
    }

    private func read(_ text: String) throws -> FixtureFiles {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(text.utf8).write(to: dir.appendingPathComponent("x.json"))
        return try FixtureFiles.read(directory: dir)
    }

    @Test func escapesAndNumbersAreKeptAsWritten() throws {
        let files = try read(#"{"listPath": "/api/x", "items": [ {"extId" : "a\"b", "n": [1.5e3, -0, true, null], "$reserved": {}} ]}"#)
        let item = try #require(files.files.first?.items.first)
        #expect(item.extId == "a\"b")
        #expect(item.document == #"{"extId":"a\"b","n":[1.5e3,-0,true,null]}"#)
    }

    @Test(arguments: [
        (#"{"listPath": "/api/x", "items": [{"extId": "a",}]}"#, "invalid JSON"),
        (#"{"listPath": "/api/x", "items": [{"name": "a"}]}"#, "item 0 has no extId"),
        (#"{"listPath": "/api/x", "items": [{"extId": "a"}, 3]}"#, "item 1 has no extId"),
        (#"{"items": []}"#, "needs \"listPath\" and \"items\""),
        (#"{"listPath": "/api/x", "items": []} x"#, "trailing characters"),
    ])
    func malformedFilesAreRejectedNamingTheFile(text: String, reason: String) throws {
        #expect {
            _ = try read(text)
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("fixtures/x.json: ") && description.contains(reason)
        }
    }
}
