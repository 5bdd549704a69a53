import OData

/// Reads one openapi/<namespace>.json straight into the catalog's values, streaming (see
/// `JSONReader`). It understands the subset scripts/openapi_gen writes, skips keys it does not
/// need (summaries, descriptions, discriminator maps) and fails on wrong types.
struct DocumentReader {
    let file: String
    let json: JSONReader

    struct Result: Sendable {
        let namespace: Namespace
        let operations: [Operation]
        /// Where `components.schemas` is in the bytes read; nil when the document has none.
        let schemas: Range<Int>?
    }

    /// The namespace and its operations; the models are only located, for `ModelShelf` to
    /// decode (and check) on first use.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(CatalogError) -> Result {
        try reading(bytes, file: file) { reader in
            let result = try reader.document()
            try reader.json.finish()
            return result
        }
    }

    /// The models of the `components.schemas` object at `range` of a document's bytes.
    static func models(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, file: String) throws(CatalogError)
        -> [String: Model]
    {
        try reading(bytes, file: file) { reader in
            reader.json.index = range.lowerBound
            var models: [String: Model] = [:]
            try reader.json.readObject { name in
                let modelName = name.string
                models[modelName] = try reader.model(named: modelName)
            }
            guard reader.json.index == range.upperBound else { throw reader.json.failure("schemas end elsewhere") }
            return models
        }
    }

    private static func reading<T>(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, _ body: (DocumentReader) throws -> T
    ) throws(CatalogError) -> T {
        do {
            return try body(DocumentReader(file: file, json: JSONReader(bytes: bytes)))
        } catch let failure as JSONReader.Failure {
            throw .invalidJSON(file: file, offset: failure.offset, reason: failure.reason)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .unreadable(file: file, reason: "\(error)")
        }
    }

    private func document() throws -> Result {
        var namespace: Namespace?
        var schemas: Range<Int>?
        var operations: [Operation] = []
        try json.readObject { key in
            if key == "info" {
                namespace = try info()
            } else if key == "components" {
                try json.readObject { component in
                    guard component == "schemas" else { return try json.skipValue() }
                    json.skipWhitespace()
                    let start = json.index
                    try json.skipContainer()
                    schemas = start..<json.index
                }
            } else if key == "paths" {
                try json.readObject { pathKey in
                    let path = pathKey.string
                    try json.readObject { method in
                        operations.append(try operation(path: path, method: method.string.uppercased()))
                    }
                }
            } else {
                try json.skipValue()
            }
        }
        guard let namespace else { throw malformed("info", "object expected") }
        operations = operations.map { $0.inNamespace(namespace.name) }
        // Object members are unordered in JSON; a fixed order keeps routing and tests reproducible.
        operations.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        return Result(namespace: namespace, operations: operations, schemas: schemas)
    }

    private func info() throws -> Namespace {
        var name, version, fv, package, sdkVersion, minimum: String?
        try json.readObject { key in
            if key == "x-namespace" { name = try json.readString() }
            else if key == "version" { version = try json.readString() }
            else if key == "x-fv" { fv = try json.readString() }
            else if key == "x-sdk-package" { package = try json.readString() }
            else if key == "x-sdk-version" { sdkVersion = try json.readString() }
            else if key == "x-min-server-version", try json.peek() == .string { minimum = try json.readString() }
            else { try json.skipValue() }
        }
        return Namespace(
            name: try required(name, "info.x-namespace"), apiVersion: try required(version, "info.version"),
            fv: try required(fv, "info.x-fv"), sdkPackage: try required(package, "info.x-sdk-package"),
            sdkVersion: try required(sdkVersion, "info.x-sdk-version"), minimumServerVersion: minimum)
    }

    func required<T>(_ value: T?, _ at: @autoclosure () -> String) throws -> T {
        guard let value else { throw malformed(at(), "missing") }
        return value
    }

    func malformed(_ at: String, _ reason: String) -> CatalogError {
        .malformed(file: file, at: at, reason: reason)
    }
}
