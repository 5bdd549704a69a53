import Dispatch
import Synchronization

/// Read-only connections for reads outside `write`; each is checked out by one caller at a time.
///
/// Connections open on first demand, not with the store: each open reads the schema (about a
/// millisecond apiece at start-up, four of them on the way to the ready line), and a mock that
/// serves one client at a time never needs more than one or two.
final class ReaderPool: Sendable {
    private struct State {
        var idle: [Database] = []
        var isClosed = false
    }

    private let state = Mutex(State())
    /// Bounds the connections in use, and with them the connections ever opened, to the capacity.
    private let available: DispatchSemaphore
    private let open: @Sendable () throws -> Database

    init(capacity: Int, open: @escaping @Sendable () throws -> Database) {
        available = DispatchSemaphore(value: capacity)
        self.open = open
    }

    /// Blocks while every connection is in use. Do not nest: a caller holding one and waiting for another
    /// can starve the pool.
    func withReader<T>(_ body: (Database) throws -> T) throws -> T {
        available.wait()
        let database: Database
        do {
            database = try checkOut()
        } catch {
            available.signal()
            throw error
        }
        defer {
            state.withLock { if !$0.isClosed { $0.idle.append(database) } }
            available.signal()
        }
        return try body(database)
    }

    private func checkOut() throws -> Database {
        let reused = try state.withLock { state -> Database? in
            if state.isClosed { throw StoreError.closed }
            return state.idle.popLast()
        }
        return try reused ?? open()
    }

    /// Closes every idle connection; one in use closes when its reader is done with it.
    func close() {
        state.withLock { state in
            state.isClosed = true
            state.idle.removeAll()
        }
    }
}
