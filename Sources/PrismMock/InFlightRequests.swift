import Dispatch
import Synchronization

/// Request ids being executed right now, so a second request with the same id waits for the
/// first instead of executing too. The wait is bounded: a worker queue is never parked for
/// longer than `IdempotencySettings.waitMilliseconds`.
final class InFlightRequests: Sendable {
    enum Claim {
        case claimed
        /// Someone else runs it; wait on the group, then look again.
        case busy(DispatchGroup)
    }

    private let running = Mutex<[String: DispatchGroup]>([:])

    func claim(_ id: String) -> Claim {
        running.withLock { map in
            if let group = map[id] { return .busy(group) }
            let group = DispatchGroup()
            group.enter()
            map[id] = group
            return .claimed
        }
    }

    /// Wakes every waiter; call once per successful `claim`.
    func release(_ id: String) {
        let group = running.withLock { $0.removeValue(forKey: id) }
        group?.leave()
    }
}
