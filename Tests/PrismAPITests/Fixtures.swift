import Foundation
import PrismAPI

/// The committed openapi/ directory, found from this file so tests run from any working directory.
enum Fixtures {
    static var openapiDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // PrismAPITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("openapi", isDirectory: true)
    }

    /// The committed catalog, loaded once per test process. It is immutable and read-only, so
    /// sharing it cannot couple tests; loading it per parameterized case cost ~75 loads of 4 MB
    /// per debug run on a shared 2-core machine. `CatalogTests.loadsFromDisk` loads its own.
    private static let shared = Result { () throws(CatalogError) in try Catalog.load(from: openapiDirectory) }

    static func loadCatalog() throws -> Catalog {
        try shared.get()
    }

    /// A fresh empty directory under the system temporary directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("prismapi-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
