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
        let directoryPath = directory.path
        for name in names {
            let bytes: Data
            do {
                // By path: a URL per file was parsed and validated (~17 k instructions each). A file that
                // cannot be read is read again through its URL, for the error that says why.
                bytes =
                    try FileManager.default.contents(atPath: directoryPath + "/" + name)
                    ?? Data(contentsOf: directory.appendingPathComponent(name))
            } catch {
                throw Fixtures.LoadError(file: name, reason: "\(error)")
            }
            do {
                files.append(
                    try bytes.withUnsafeBytes { raw in
                        try file(JSONReader(bytes: raw.bindMemory(to: UInt8.self)), name: name)
                    })
            } catch let error as Fixtures.LoadError {
                throw error
            } catch {
                throw Fixtures.LoadError(file: name, reason: "\(error)")
            }
        }
        return FixtureFiles(files: files)
    }

    /// Streams one file: each item is copied as compact text while it is read (a JSON tree
    /// parsed and written back out was most of the fixtures' start-up cost).
    private static func file(_ json: JSONReader, name: String) throws -> File {
        var listPath: String?
        var items: [Item]?
        try json.readObject { key in
            if key == "listPath", try json.peek() == .string {
                listPath = try json.readString()
            } else if key == "items", try json.peek() == .array {
                var parsed: [Item] = []
                // One buffer for every item's text: grown once, not again from empty per item.
                var scratch: [UInt8] = []
                try json.readArray {
                    parsed.append(try item(json, position: parsed.count, file: name, scratch: &scratch))
                }
                items = parsed
            } else {
                try json.skipValue()
            }
        }
        try json.finish()
        guard let listPath, let items else {
            throw Fixtures.LoadError(file: name, reason: "needs \"listPath\" and \"items\"")
        }
        return File(name: name, listPath: listPath, items: items)
    }

    /// One item: its document without `$pcmock` and `$reserved`, and what `$pcmock` says.
    private static func item(_ json: JSONReader, position: Int, file: String, scratch: inout [UInt8]) throws -> Item {
        guard try json.peek() == .object else {
            throw Fixtures.LoadError(file: file, reason: "item \(position) has no extId")
        }
        var extId, parent, apiKey: String?
        // Moved out of `scratch` (not copied), so that appends find the buffer unshared.
        var out = scratch
        scratch = []
        defer { scratch = out }
        out.removeAll(keepingCapacity: true)
        out.append(UInt8(ascii: "{"))
        try json.readObject { key in
            if key == "$pcmock" {
                guard try json.peek() == .object else { return try json.skipValue() }
                try json.readObject { field in
                    if field == "parentExtId", try json.peek() == .string { parent = try json.readString() }
                    else if field == "apiKeySha256", try json.peek() == .string { apiKey = try json.readString() }
                    else { try json.skipValue() }
                }
                return
            }
            if key == "$reserved" { return try json.skipValue() }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            json.appendQuoted(key.raw, to: &out)
            out.append(UInt8(ascii: ":"))
            if key == "extId", try json.peek() == .string {
                let (raw, decoded) = try json.readStringBytes()
                extId = decoded ?? String(decoding: raw, as: UTF8.self)
                json.appendQuoted(raw, to: &out)
            } else {
                try json.copyCompact(into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        guard let extId else { throw Fixtures.LoadError(file: file, reason: "item \(position) has no extId") }
        return Item(extId: extId, parentExtId: parent, apiKeySha256: apiKey, document: String(decoding: out, as: UTF8.self))
    }
}
