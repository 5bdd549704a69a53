import Synchronization

/// Entities by key, so a GET by id is served without a reader connection. SQLite's WAL read
/// lock costs two `fcntl` calls per read transaction and the reader pool a futex under load;
/// together they capped get-by-id at a fifth of what the HTTP layer can do.
///
/// Staleness is ruled out by a generation counter: every committed write that touched entities
/// bumps it (after removing what it changed), and a reader only fills the cache when the
/// generation it saw before reading the database is still current.
final class EntityCache: Sendable {
    struct Key: Hashable, Sendable {
        var namespace: String
        var kind: String
        var extId: String
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [Key: StoredEntity] = [:]
    }

    /// Bounds memory for stores with many entities; past it the cache starts over.
    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// A hit, or the generation to hand back to `fill` after reading the database.
    func lookup(_ key: Key) -> (hit: StoredEntity?, generation: UInt64) {
        state.withLock { ($0.entries[key], $0.generation) }
    }

    func fill(_ entity: StoredEntity, key: Key, generation: UInt64) {
        state.withLock { s in
            guard s.generation == generation else { return }
            if s.entries.count >= capacity { s.entries.removeAll(keepingCapacity: true) }
            s.entries[key] = entity
        }
    }

    /// After a commit: forget what the transaction changed.
    func invalidate(_ changes: EntityChanges) {
        guard changes.clearAll || !changes.keys.isEmpty else { return }
        state.withLock { s in
            s.generation &+= 1
            if changes.clearAll {
                s.entries.removeAll(keepingCapacity: true)
            } else {
                for key in changes.keys { s.entries.removeValue(forKey: key) }
            }
        }
    }

    func clear() {
        state.withLock { s in
            s.generation &+= 1
            s.entries.removeAll(keepingCapacity: true)
        }
    }
}

/// What one write transaction changed among the entities; confined to the writer queue.
final class EntityChanges {
    var keys: [EntityCache.Key] = []
    /// Deletes cascade to children whose keys the transaction never sees.
    var clearAll = false
}
