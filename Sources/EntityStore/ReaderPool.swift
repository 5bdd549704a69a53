import Dispatch
import Synchronization

/// Read-only connections for reads outside `write`; each is checked out by one caller at a time.
final class ReaderPool: Sendable {
    private let idle: Mutex<[Database]>
    private let available: DispatchSemaphore

    init(connections: [Database]) {
        idle = Mutex(connections)
        available = DispatchSemaphore(value: connections.count)
    }

    /// Blocks while every connection is in use. Do not nest: a caller holding one and waiting for another
    /// can starve the pool.
    func withReader<T>(_ body: (Database) throws -> T) throws -> T {
        available.wait()
        guard let database = idle.withLock({ $0.popLast() }) else {
            available.signal()
            throw StoreError.closed
        }
        defer {
            idle.withLock { $0.append(database) }
            available.signal()
        }
        return try body(database)
    }

    /// Closes every idle connection (all of them, once no read is running).
    func close() {
        idle.withLock { $0.removeAll() }
    }
}
