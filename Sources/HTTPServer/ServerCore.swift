import Dispatch
import Synchronization

/// What the listener and every connection of one server share.
final class ServerCore: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    let limits: HTTPParserLimits
    let loops: [EventLoop]
    /// Entered by every listener and connection, left when its descriptor is closed.
    let open = DispatchGroup()
    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])
    private let shuttingDown = Atomic<Bool>(false)
    private let nextLoopIndex = Atomic<Int>(0)

    init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        self.limits = configuration.parserLimits
        self.loops = (0..<max(1, configuration.workerCount)).map(EventLoop.init(index:))
    }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }

    /// Round robin: connections are long-lived, so an even spread is a fair one.
    func nextLoop() -> EventLoop {
        let index = nextLoopIndex.add(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// Listeners live on the first loop; accepting is rare next to serving.
    var acceptLoop: EventLoop { loops[0] }

    func register(_ connection: Connection) {
        open.enter()
        connections.withLock { $0[ObjectIdentifier(connection)] = connection }
    }

    func unregister(_ connection: Connection) {
        connections.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(connection)) }
        open.leave()
    }

    var liveConnections: [Connection] {
        connections.withLock { Array($0.values) }
    }
}
