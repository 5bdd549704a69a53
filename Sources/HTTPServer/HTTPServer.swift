import Dispatch
import Glibc
import Synchronization

/// HTTP/1.1 server on non-blocking POSIX sockets, one epoll event loop (and thread) per
/// `workerCount`. Connections are spread over the loops; the handler runs inline on the
/// connection's loop, so it must not block for long (use `HTTPResponse.delay` for latency).
public final class HTTPServer: Sendable {
    private struct State {
        var listeners: [Listener] = []
        var started = false
        var stopped = false
    }

    private let core: ServerCore
    private let state = Mutex(State())

    public init(configuration: HTTPServerConfiguration, handler: @escaping HTTPHandler) {
        core = ServerCore(configuration: configuration, handler: handler)
    }

    deinit {
        shutdown(gracePeriod: .zero)
    }

    /// Binds every address `host` resolves to (all on one port) and starts accepting.
    public func start() throws {
        Socket.ignoreSIGPIPE()
        Socket.raiseDescriptorLimit()
        let configuration = core.configuration
        guard (0...65535).contains(configuration.port) else {
            throw SocketError(operation: "bind", code: EINVAL, message: "port \(configuration.port) out of range")
        }
        let addresses = try SocketAddress.resolve(host: configuration.host, port: configuration.port)
        guard var first = addresses.first else {
            throw SocketError(operation: "getaddrinfo(\(configuration.host))", code: EADDRNOTAVAIL)
        }
        let primary = try Listener(address: first, core: core)
        var listeners = [primary]
        // With port 0 the other addresses of a name must get the port the first one got; one
        // that cannot be bound (say, IPv6 disabled) is left out rather than failing the start.
        for var other in addresses.dropFirst() {
            other.setPort(primary.address.port)
            if let listener = try? Listener(address: other, core: core) { listeners.append(listener) }
        }
        first = primary.address
        try state.withLock { (state) throws(SocketError) in
            guard !state.started else { throw SocketError(operation: "start", code: EALREADY) }
            state.started = true
            state.listeners = listeners
        }
        for loop in core.loops { loop.startThread() }
        let started = listeners
        core.acceptLoop.executeAndWait {
            for listener in started { listener.start() }
        }
    }

    /// The port actually bound (the chosen one when the configuration asked for 0).
    public var localPort: Int {
        state.withLock { $0.listeners.first?.address.port ?? 0 }
    }

    /// The numeric address bound first (IPv6 without brackets), for the ready line.
    public var boundHost: String {
        state.withLock { $0.listeners.first?.address.host ?? core.configuration.host }
    }

    /// Stops accepting, lets requests already received be answered and sent, closes idle
    /// connections; returns when every connection is closed, force-closing whatever is left
    /// after `gracePeriod`. Must not be called from a handler.
    public func shutdown(gracePeriod: Duration = .seconds(5)) {
        let listeners: [Listener] = state.withLock { state in
            guard state.started, !state.stopped else { return [] }
            state.stopped = true
            return state.listeners
        }
        guard !listeners.isEmpty else { return }
        core.beginShutdown()
        core.acceptLoop.executeAndWait {
            for listener in listeners { listener.stop() }
        }
        for connection in core.liveConnections {
            connection.loop.execute { connection.beginShutdown() }
        }
        if core.open.wait(timeout: .now() + .nanoseconds(Int(clamping: gracePeriod.nanoseconds))) == .timedOut {
            for connection in core.liveConnections {
                connection.loop.execute { connection.close() }
            }
            _ = core.open.wait(timeout: .now() + .seconds(2))
        }
        for loop in core.loops { loop.stopAndJoin() }
    }
}
