import FoundationEssentials
import Synchronization

/// One namespace's models, decoded from its document the first time anything asks for them.
///
/// About 70% of openapi/ is `components.schemas`; decoding all ~6,000 models at start-up was
/// most of the start-up CPU and about half of the idle RSS, while a session typically touches a
/// few namespaces. Start-up only records where the schemas are in the file (matching their
/// brackets); the first lookup in a namespace reads that byte range again and decodes it, under
/// a lock so that concurrent first lookups decode once. `Catalog.loadAllModels()` decodes all.
final class ModelShelf: Sendable {
    /// Where the `components.schemas` object is: the document's directory, file name and byte
    /// range, or the document bytes themselves for a catalog read from memory.
    enum Source: Sendable {
        case file(URL, String, Range<Int>)
        case bytes([UInt8], Range<Int>)
        case none
    }

    private let source: Source
    private let fileName: String
    private let decoded = Mutex<Result<[String: Model], CatalogError>?>(nil)

    init(source: Source, fileName: String) {
        self.source = source
        self.fileName = fileName
    }

    /// The models, decoding them on first use; a document that fails to decode has none (and
    /// `Catalog.loadAllModels()` reports why).
    var models: [String: Model] {
        (try? result.get()) ?? [:]
    }

    var result: Result<[String: Model], CatalogError> {
        decoded.withLock { state in
            if let state { return state }
            let loaded = Result { () throws(CatalogError) in try decode() }
            state = loaded
            return loaded
        }
    }

    private func decode() throws(CatalogError) -> [String: Model] {
        switch source {
        case .none:
            return [:]
        case .bytes(let bytes, let range):
            return try bytes.withUnsafeBufferPointer { buffer throws(CatalogError) in
                try DocumentReader.models(buffer, range: range, file: fileName)
            }
        case .file(let directory, let name, let range):
            let url = directory.appendingPathComponent(name)
            // Read rather than mapped: a file truncated under a mapping faults the process, a
            // short read is only an error.
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: url))
            } catch {
                throw .unreadable(file: fileName, reason: "\(error)")
            }
            // The file changed since start-up: its schemas are no longer where they were.
            guard range.upperBound <= bytes.count else {
                throw .unreadable(file: fileName, reason: "changed since the catalog was loaded")
            }
            return try bytes.withUnsafeBufferPointer { buffer throws(CatalogError) in
                try DocumentReader.models(buffer, range: range, file: fileName)
            }
        }
    }
}
