import CEventLoop
import Glibc

/// A listening socket, registered on the server's accept loop.
///
/// Confinement: after `start()`, the mutable state is touched only on `core.acceptLoop`'s
/// thread (`stop()` is run there too), hence `@unchecked Sendable`.
final class Listener: @unchecked Sendable, LoopTimerTarget {
    let fd: Int32
    let address: SocketAddress
    private let core: ServerCore
    private var token: UInt64?
    private var started = false
    private var suspended = false
    private var resumeAt: UInt64 = 0
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

    /// Once started, `stop()` closes the descriptor; before, nobody else will.
    deinit {
        if !started { Socket.close(fd) }
    }

    /// Must run on the accept loop.
    func start() {
        started = true
        core.open.enter()
        token = core.acceptLoop.register(fd, .listener(self), events: PCMOCK_EPOLLIN)
        if token == nil { stop() }
    }

    /// Must run on the accept loop. Connections already in the backlog are taken in first:
    /// closing the socket would reset them, while taken in they get the same graceful end as
    /// every other connection.
    func stop() {
        guard started, !stopped else { return }
        acceptAll()
        stopped = true
        core.acceptLoop.deregister(fd)
        Socket.close(fd)
        core.open.leave()
    }

    /// Accepts until the backlog is empty: one wake-up can bring many connections.
    func acceptAll() {
        while !stopped {
            var peer = SocketAddress()
            let (result, code) = Socket.retryingEINTR {
                Int(
                    withUnsafeMutablePointer(to: &peer.storage) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        accept4(fd, $0, &peer.length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                    }
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
            let loop = core.nextLoop()
            let info = ConnectionInfo(
                remoteAddress: peer.host, remotePort: peer.port, localPort: address.port,
                isSecure: core.configuration.tls != nil)
            let connection = Connection(fd: client, core: core, loop: loop, info: info, transport: transport)
            core.register(connection)
            if loop === core.acceptLoop { connection.start() } else { loop.execute { connection.start() } }
        }
    }

    /// Out of descriptors or memory: the pending connection stays queued and level-triggered
    /// readiness would report it again at once, so stop listening for a moment.
    private func pauseAccepting() {
        guard let token, !suspended else { return }
        suspended = true
        core.acceptLoop.modify(fd, token: token, events: 0)
        resumeAt = Clock.now() + 100_000_000
        core.acceptLoop.schedule(self, at: resumeAt)
    }

    func timerFired(scheduledAt: UInt64) {
        guard isWaiting(for: scheduledAt), let token else { return }
        suspended = false
        core.acceptLoop.modify(fd, token: token, events: PCMOCK_EPOLLIN)
    }

    func isWaiting(for deadline: UInt64) -> Bool { suspended && !stopped && deadline == resumeAt }
}
