import Foundation
import Testing

@testable import PrismMock

/// The test runner lives in the repository's `.build/<configuration>/`, so the walk up from the
/// executable finds the repository's own `openapi/` and `fixtures/` (PCMOCK_HOME is covered end
/// to end by `ServeCommandTests`, where setting it cannot disturb other tests).
struct ResourceLocatorTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["openapi", "fixtures"])
    func findsTheRepositoryDirectoryAboveTheExecutable(name: String) throws {
        let found = try #require(ResourceLocator.directory(named: name))
        #expect(found.standardizedFileURL.path == Self.repository.appendingPathComponent(name).standardizedFileURL.path)
        #expect(found.hasDirectoryPath)
    }

    @Test func answersNilForADirectoryNowhereToBeFound() {
        #expect(ResourceLocator.directory(named: "no-such-pcmock-directory-\(UUID().uuidString)") == nil)
    }

    @Test func aFileIsNotADirectory() {
        #expect(ResourceLocator.isDirectory(Self.repository.appendingPathComponent("Package.swift").path) == false)
        #expect(ResourceLocator.isDirectory(Self.repository.path))
    }
}
