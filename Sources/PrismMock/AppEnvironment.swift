import EntityStore
import FoundationEssentials

/// What services and middlewares share: built once by the app and passed to each, so none of
/// them holds the app itself.
struct AppEnvironment: Sendable {
    let contract: Contract
    let store: EntityStore
    let engine: GenericEngine
    let config: RuntimeConfig
    let clock: @Sendable () -> Date
}
