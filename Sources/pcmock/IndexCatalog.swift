import ArgumentParser
import FoundationEssentials
import PrismAPI
import PrismMock

/// `pcmock index-catalog`: writes openapi/catalog.index from the JSON documents beside it (see
/// `CatalogIndex`). scripts/generate-openapi runs it after regenerating the documents; a test
/// fails when the committed index is stale.
struct IndexCatalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index-catalog",
        abstract: "Regenerate the catalog index (openapi/catalog.index) from the openapi/*.json documents.",
        shouldDisplay: false
    )

    @Argument(help: "The catalog directory. Default: the bundled openapi/.")
    var directory: String?

    func run() throws {
        guard let dir = directory.map({ URL(fileURLWithPath: $0) }) ?? ResourceLocator.directory(named: "openapi") else {
            throw Serve.fail("cannot find the openapi/ catalog directory (set PCMOCK_HOME or name it)")
        }
        do {
            let bytes = try CatalogIndex.generate(from: dir)
            try Data(bytes).write(to: dir.appendingPathComponent(CatalogIndex.fileName), options: .atomic)
        } catch {
            throw Serve.fail("cannot index \(dir.path): \(error)")
        }
    }
}
