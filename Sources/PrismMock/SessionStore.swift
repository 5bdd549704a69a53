import Synchronization

/// Sessions opened by `--session-cookies`: token → principal, in memory only (a restart logs
/// everyone out, and the SDK then falls back to Basic on its own, sdk-contract.md §c).
final class SessionStore: Sendable {
    /// Bounds memory when a client logs in on every request without ever sending the cookie back.
    static let capacity = 10_000
    private let sessions = Mutex<[String: Principal]>([:])

    func open(for principal: Principal) -> String {
        let token = RandomToken.hex(bytes: 16)
        sessions.withLock { map in
            if map.count >= SessionStore.capacity { map.removeAll(keepingCapacity: true) }
            map[token] = principal
        }
        return token
    }

    func principal(for token: String) -> Principal? {
        sessions.withLock { $0[token] }
    }
}
