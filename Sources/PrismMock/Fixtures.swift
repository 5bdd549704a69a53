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

    init(directory: URL, contract: Contract) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        var rows: [NewEntity] = []
        for name in names {
            let file = directory.appendingPathComponent(name)
            let root: JSON
            do {
                root = try JSON.parse(Array(try Data(contentsOf: file)))
            } catch {
                throw LoadError(file: name, reason: "\(error)")
            }
            guard let listPath = root["listPath"]?.stringValue, let items = root["items"]?.arrayValue else {
                throw LoadError(file: name, reason: "needs \"listPath\" and \"items\"")
            }
            let segments = listPath.split(separator: "/").map(String.init)
            guard case .found(let op, let role, _) = contract.match(method: "GET", segments: segments) else {
                throw LoadError(file: name, reason: "listPath \(listPath) is not a catalog operation")
            }
            for (i, item) in items.enumerated() {
                guard var doc = item.objectValue, let extId = doc["extId"]?.stringValue else {
                    throw LoadError(file: name, reason: "item \(i) has no extId")
                }
                let parent = doc["$pcmock"]?["parentExtId"]?.stringValue
                if let hash = doc["$pcmock"]?["apiKeySha256"]?.stringValue, let parent {
                    rows.append(Credentials.apiKeyRow(sha256: hash, keyExtId: extId, userExtId: parent))
                }
                doc["$pcmock"] = nil
                doc["$reserved"] = nil
                rows.append(NewEntity(
                    namespace: op.namespace, kind: role.collection, extId: extId, parentExtId: parent,
                    owner: "admin", document: JSON.object(doc).text))
            }
        }
        entities = rows
    }
}
