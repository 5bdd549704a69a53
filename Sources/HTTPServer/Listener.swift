import Dispatch
import Glibc

/// A listening socket and its accept source.
///
/// Confinement: after `start()`, the mutable state is touched only on `core.acceptQueue`
/// (the source's queue; `stop()` is dispatched there too), hence `@unchecked Sendable`.
final class Listener: @unchecked Sendable {
    let fd: Int32
    let address: SocketAddress
    private let core: ServerCore
    private var source: DispatchSourceRead?
    private var suspended = false
    private var stopped = false

    /// Pending connections the kernel may queue; it clamps this to net.core.somaxconn.
    static let backlog: Int32 = 4096

    /// Creates, binds and listens; the descriptor is closed again if any step fails.
    init(address: SocketAddress, core: ServerCore) throws(SocketError) {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError.fromErrno("socket") }
        do throws(SocketError) {
            try Socket.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
            if address.family == AF_INET6 {
                // `::` serves IPv4 clients too; a specific IPv6 address must not claim IPv4 ports.
                try Socket.setOption(
                    fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, address.isIPv6Wildcard ? 0 : 1, "IPV6_V6ONLY")
            }
            if address.withSockaddr({ bind(fd, $0, $1) }) != 0 { throw SocketError.fromErrno("bind") }
            if listen(fd, Listener.backlog) != 0 { throw SocketError.fromErrno("listen") }
            self.address = try SocketAddress.local(of: fd)
        } catch {
            Socket.close(fd)
            throw error
        }
        self.fd = fd
        self.core = core
    }

    /// Once started, the source's cancel handler closes the descriptor; before, nobody else will.
    deinit {
        if source == nil { Socket.close(fd) }
    }

    func start() {
        core.open.enter()
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: core.acceptQueue)
        source.setEventHandler { [self] in acceptAll() }
        source.setCancelHandler { [self] in
            Socket.close(fd)
            core.open.leave()
        }
        self.source = source
        source.resume()
    }

    /// Must run on `core.acceptQueue`. Connections already in the backlog are taken in first:
    /// closing the socket would reset them, while taken in they get the same graceful end as
    /// every other connection.
    func stop() {
        guard !stopped, let source else { return }
        acceptAll()
        stopped = true
        if suspended { source.resume() }
        source.cancel()
    }

    /// Accepts until the backlog is empty: one wake-up can bring many connections.
    private func acceptAll() {
        while !stopped {
            var peer = SocketAddress()
            let (result, code) = Socket.retryingEINTR {
                Int(
                    withUnsafeMutablePointer(to: &peer.storage) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(fd, $0, &peer.length) }
                    })
            }
            guard result >= 0 else {
                switch code {
                case EAGAIN, EWOULDBLOCK: return
                case ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: return pauseAccepting()
                default: return
                }
            }
            let client = Int32(result)
            do {
                try Socket.configureAccepted(client)
            } catch {
                Socket.close(client)
                continue
            }
            var transport = Transport.plain
            if let tls = core.configuration.tls {
                guard let session = TLSSession(context: tls.context, fd: client, handshakeTimeout: tls.handshakeTimeout)
                else {
                    Socket.close(client)
                    continue
                }
                transport = .tls(session)
            }
            let worker = core.nextWorker()
            let info = ConnectionInfo(
                remoteAddress: peer.host, remotePort: peer.port, localPort: address.port,
                isSecure: core.configuration.tls != nil)
            let connection = Connection(fd: client, core: core, worker: worker, info: info, transport: transport)
            core.register(connection)
            worker.queue.async { connection.start() }
        }
    }

    /// Out of descriptors or memory: the pending connection stays queued and the source would
    /// fire again at once, so back off briefly instead of spinning.
    private func pauseAccepting() {
        guard let source, !suspended else { return }
        source.suspend()
        suspended = true
        core.acceptQueue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in
            guard suspended, !stopped, let source = self.source else { return }
            suspended = false
            source.resume()
        }
    }
}
