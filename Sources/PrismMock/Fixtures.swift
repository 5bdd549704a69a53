import EntityStore
import FoundationEssentials
import OData
import PrismAPI

/// The seed data: `fixtures/<collection>.json` files, each `{"objectType", "listPath",
/// "parent", "items"}`. Parsed once at start into rows; a reset re-inserts the same rows in one
/// transaction, which is what keeps `POST /_pcmock/reset` in the milliseconds.
struct Fixtures: Sendable {
    let entities: [NewEntity]

    static let empty = Fixtures(entities: [])

    struct LoadError: Error, CustomStringConvertible {
        var file: String
        var reason: String
        var description: String { "fixtures/\(file): \(reason)" }
    }

    init(entities: [NewEntity]) {
        self.entities = entities
    }

    /// The parsed files placed in the catalog's collections.
    init(files: FixtureFiles, contract: Contract) throws {
        var rows: [NewEntity] = []
        for file in files.files {
            let segments = file.listPath.split(separator: "/").map(String.init)
            guard case .found(let op, let role, _) = contract.match(method: "GET", segments: segments) else {
                throw LoadError(file: file.name, reason: "listPath \(file.listPath) is not a catalog operation")
            }
            for item in file.items {
                if let hash = item.apiKeySha256, let parent = item.parentExtId {
                    rows.append(Credentials.apiKeyRow(sha256: hash, keyExtId: item.extId, userExtId: parent))
                }
                rows.append(NewEntity(
                    namespace: op.namespace, kind: role.collection, extId: item.extId, parentExtId: item.parentExtId,
                    owner: "admin", document: item.document))
            }
        }
        entities = rows
    }
}

/// The fixture files parsed, before the catalog places them: this part needs no catalog, so
/// start-up reads the files while the catalog loads.
struct FixtureFiles: Sendable {
    struct File: Sendable {
        var name: String
        var listPath: String
        var items: [Item]
    }

    struct Item: Sendable {
        var extId: String
        var parentExtId: String?
        var apiKeySha256: String?
        /// Compact JSON text without `$pcmock` and `$reserved`, as the store keeps it.
        var document: String
    }

    let files: [File]

    static func read(directory: URL) throws -> FixtureFiles {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        var files: [File] = []
        for name in names {
            let root: JSON
            do {
                root = try JSON.parse(Array(try Data(contentsOf: directory.appendingPathComponent(name))))
            } catch {
                throw Fixtures.LoadError(file: name, reason: "\(error)")
            }
            guard let listPath = root["listPath"]?.stringValue, let items = root["items"]?.arrayValue else {
                throw Fixtures.LoadError(file: name, reason: "needs \"listPath\" and \"items\"")
            }
            var parsed: [Item] = []
            for (i, item) in items.enumerated() {
                guard var doc = item.objectValue, let extId = doc["extId"]?.stringValue else {
                    throw Fixtures.LoadError(file: name, reason: "item \(i) has no extId")
                }
                let parent = doc["$pcmock"]?["parentExtId"]?.stringValue
                let hash = doc["$pcmock"]?["apiKeySha256"]?.stringValue
                doc["$pcmock"] = nil
                doc["$reserved"] = nil
                parsed.append(Item(extId: extId, parentExtId: parent, apiKeySha256: hash, document: JSON.object(doc).text))
            }
            files.append(File(name: name, listPath: listPath, items: parsed))
        }
        return FixtureFiles(files: files)
    }
}
