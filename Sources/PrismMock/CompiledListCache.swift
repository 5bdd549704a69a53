import EntityStore
import OData
import Synchronization

/// List queries already parsed and compiled to SQL, per operation, query options and side table: clients
/// repeat the same `$filter` (a poll, a paging loop), and compiling was a twentieth of a filtered list's
/// CPU. Only successes are kept; a bad query is parsed again and answers its 400 each time.
final class CompiledListCache: Sendable {
    struct Key: Hashable {
        var operation: String
        var filter: String?
        var orderby: String?
        var select: String?
        var expand: String?
        var page: String?
        var limit: String?
        /// The side table decides the SQL, so a store with other declared paths never shares an entry.
        var rowid: String?
        var hotColumns: [String: String]
        var elements: [String: [String: Int64]]

        /// The side table is compared but not hashed: it is the same for every query of a kind, and hashing
        /// two dictionaries cost more than the rest of the key.
        func hash(into hasher: inout Hasher) {
            hasher.combine(operation)
            hasher.combine(filter)
            hasher.combine(orderby)
            hasher.combine(select)
            hasher.combine(expand)
            hasher.combine(page)
            hasher.combine(limit)
        }
    }

    struct Compiled: Sendable {
        var odata: ODataQuery
        var whereSQL: String?
        /// `whereSQL` with side-table conjuncts as correlated probes (`SideTable.correlated`), for small kinds;
        /// nil when the filter reads no hot path. Binds the same arguments.
        var smallKindWhereSQL: String? = nil
        var orderBySQL: String?
        var arguments: [SQLValue]
        var needsEvaluator: Bool
    }

    private struct Entry {
        var value: Compiled
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
    }

    /// Bounded: distinct filters (a client putting an id in each) evict the least recently used.
    static let capacity = 64
    private let state = Mutex(State())

    func lookup(_ key: Key) -> Compiled? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.value
        }
    }

    func store(_ value: Compiled, for key: Key) {
        state.withLock { state in
            state.clock += 1
            if state.entries[key] == nil, state.entries.count >= CompiledListCache.capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                state.entries.removeValue(forKey: oldest)
            }
            state.entries[key] = Entry(value: value, lastUse: state.clock)
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// `now()` is bound to the time of parsing, so a query that may use it is compiled every time. Any
    /// "now" in the text counts (a literal 'snow' too): a missed hit costs a compile, a wrong one a stale time.
    static func cacheable(_ key: Key) -> Bool { !mentionsNow(key.filter) && !mentionsNow(key.orderby) }

    private static func mentionsNow(_ text: String?) -> Bool {
        guard let text else { return false }
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            // ASCII letters only: `| 0x20` folds upper case onto lower case.
            if byte | 0x20 == UInt8(ascii: "w") && previous.0 | 0x20 == UInt8(ascii: "n")
                && previous.1 | 0x20 == UInt8(ascii: "o")
            {
                return true
            }
            previous = (previous.1, byte)
        }
        return false
    }
}
