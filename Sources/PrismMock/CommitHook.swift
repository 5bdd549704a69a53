import EntityStore
import HTTPServer

/// Work that must commit together with a request's effect: run by whoever writes the effect
/// (the generic engine, a service) inside its `store.write`, with the response it will send.
/// The idempotency record is one, so a crash can never keep the effect and lose the record (a
/// retry would then execute twice) or the reverse.
///
/// A service that writes the store for a mutation calls `ctx.runCommitHooks(in: tx, response)`
/// as the last step of its write closure. If none runs them, the idempotency middleware stores
/// the record in a transaction of its own right after.
typealias CommitHook = (StoreTransaction, HTTPResponse) throws -> Void

extension RequestContext {
    func runCommitHooks(in tx: StoreTransaction, _ response: HTTPResponse) throws {
        for hook in commitHooks { try hook(tx, response) }
    }
}
