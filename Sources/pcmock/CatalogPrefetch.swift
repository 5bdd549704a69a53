import PrismAPI
import PrismMock
import Synchronization

/// `pcmock serve` starts loading the catalog before its command line is parsed: the catalog
/// comes from the one place `PrismMockApp.loadCatalog(nil)` finds (no option names another),
/// and argument parsing (reflection over `Serve`'s options) costs as much CPU as a third of the
/// catalog, so the two overlap on a second core.
enum CatalogPrefetch {
    private static let pending = Mutex<BackgroundWork<Catalog>?>(nil)

    static func start() {
        pending.withLock { $0 = BackgroundWork { try PrismMockApp.loadCatalog(nil) } }
    }

    /// The load started by `start()`, nil when none was.
    static func take() -> BackgroundWork<Catalog>? {
        pending.withLock { work in
            defer { work = nil }
            return work
        }
    }
}
