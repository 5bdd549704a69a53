import CEventLoop
import Glibc

/// One accepted client: its socket, its parser and its pending output.
///
/// Confinement: every method runs on `loop`'s thread (its events, timers and tasks), so the
/// mutable state below is never touched concurrently. That is what makes `@unchecked Sendable`
/// safe; the type is Sendable only so it can be handed to that loop.
final class Connection: @unchecked Sendable {
    enum Phase {
        case open
        /// Our side is shut down for writing; reading on until the client closes (or the
        /// linger timeout), so unread input does not turn our close into a reset.
        case lingering
        case closed
    }

    /// Pause reading while this much output is unsent: a client that pipelines but never reads
    /// must not grow our memory without bound.
    static let outputHighWater = 1 << 20

    let fd: Int32
    let core: ServerCore
    let loop: EventLoop
    let info: ConnectionInfo
    let transport: Transport
    var parser: HTTPParser
    var phase = Phase.open
    var output = OutputBuffer()
    /// Responses waiting behind a delayed one, in request order.
    var held: [HeldResponse] = []
    var heldTimerArmed = false
    var heldWakeAt: UInt64 = 0
    /// No further requests will be answered: close once everything queued has been sent.
    var closeQueued = false
    /// Once the output is sent, close without lingering: a dropped-connection response.
    var dropQueued = false
    var peerClosed = false
    var servedAny = false
    let acceptedAt: UInt64
    var lastActivity: UInt64
    var partialSince: UInt64?
    var lingerDeadline: UInt64 = 0
    var timerFireAt = UInt64.max
    /// The epoll registration; nil until started and after closing.
    var token: UInt64?
    var readPaused = false
    var writeArmed = false
    /// What epoll was last told to watch for.
    private var registeredEvents: UInt32 = 0

    init(fd: Int32, core: ServerCore, loop: EventLoop, info: ConnectionInfo, transport: Transport = .plain) {
        self.fd = fd
        self.transport = transport
        self.core = core
        self.loop = loop
        self.info = info
        self.parser = HTTPParser(limits: core.limits)
        self.acceptedAt = Connection.now()
        self.lastActivity = acceptedAt
    }

    static func now() -> UInt64 { Clock.now() }

    func start() {
        guard let token = loop.register(fd, .connection(self), events: PCMOCK_EPOLLIN) else {
            phase = .closed
            Socket.close(fd)
            core.unregister(self)
            return
        }
        self.token = token
        registeredEvents = PCMOCK_EPOLLIN
        updateTimer()
    }

    /// One readiness report. An error or hang-up on a socket that waits for neither direction
    /// (say, a reset while a delayed response is held) would be reported again and again.
    func handle(events: UInt32) {
        let failure = events & (PCMOCK_EPOLLERR | PCMOCK_EPOLLHUP) != 0
        if !readPaused && (failure || events & PCMOCK_EPOLLIN != 0) { onReadable() }
        guard phase != .closed else { return }
        if writeArmed && (failure || events & PCMOCK_EPOLLOUT != 0) { onWritable() }
        if failure && phase != .closed && readPaused && !writeArmed { close() }
    }

    /// Tells epoll what the connection now waits for, if that changed.
    private func updateInterest() {
        guard let token else { return }
        let wanted = (readPaused ? 0 : PCMOCK_EPOLLIN) | (writeArmed ? PCMOCK_EPOLLOUT : 0)
        guard wanted != registeredEvents else { return }
        registeredEvents = wanted
        loop.modify(fd, token: token, events: wanted)
    }

    // MARK: reading

    func onReadable() {
        switch phase {
        case .closed: return
        case .lingering: return discardInput()
        case .open: break
        }
        let buffer = loop.readBuffer
        reading: while true {
            switch transport.read(fd, into: buffer) {
            case .bytes(let count):
                if !closeQueued { parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
                // A short read means the socket is drained; epoll reports it again if not.
                if count < buffer.count && !transport.hasBufferedInput { break reading }
            case .wouldBlock:
                break reading
            case .endOfFile:
                peerClosed = true
                break reading
            case .failed:
                return close()
            }
        }
        lastActivity = Connection.now()
        if transport.readWantsWritable { armWrite() }
        if !closeQueued { processInput() }
        if peerClosed {
            // The client sends nothing more: answer what is complete, then close. Reading is
            // paused for good, as an EOF would be reported again and again.
            closeQueued = true
            pauseReading()
        }
        flush()
        updateTimer()
    }

    private func discardInput() {
        while true {
            switch Socket.read(fd, into: loop.readBuffer) {
            case .bytes: continue
            case .wouldBlock: return
            case .endOfFile, .failed: return close()
            }
        }
    }

    func pauseReading() {
        guard !readPaused else { return }
        readPaused = true
        updateInterest()
    }

    func resumeReading() {
        guard readPaused, !peerClosed else { return }
        readPaused = false
        updateInterest()
    }

    // MARK: writing

    /// Sends as much pending output as the socket takes; arms the write source for the rest.
    func flush() {
        guard phase == .open else { return }
        while output.hasUnsent {
            // Only a plain connection's output references bodies (TLS copies them).
            let result = output.sendUnsent(
                { transport.send(fd, $0) }, gathered: { Socket.send(fd, gathering: $0) })
            switch result {
            case .bytes(let count):
                output.sent += count
            case .wouldBlock, .endOfFile:
                // Waiting for input (a TLS handshake step) must not wait for writability that
                // would be reported at once and forever; readability brings the retry.
                if transport.writeWantsReadable { resumeReading() } else { armWrite() }
                if output.unsent > Connection.outputHighWater { pauseReading() }
                return
            case .failed:
                return close()
            }
        }
        output.clear(keepLimit: Connection.outputHighWater)
        if !transport.readWantsWritable { disarmWrite() }
        if closeQueued && held.isEmpty { return dropQueued ? close() : finishSending() }
        resumeReading()
    }

    private func armWrite() {
        guard !writeArmed else { return }
        writeArmed = true
        updateInterest()
    }

    private func disarmWrite() {
        guard writeArmed else { return }
        writeArmed = false
        updateInterest()
    }

    private func onWritable() {
        lastActivity = Connection.now()
        if transport.readWantsWritable { return onReadable() }
        flush()
        updateTimer()
    }

    // MARK: closing

    /// Everything is sent and nothing more will be answered. If the client may still be
    /// sending, half-close and drain (RFC 9112 §9.6) so our close does not reset the connection
    /// before it has read the response.
    private func finishSending() {
        if peerClosed { return close() }
        transport.shutdownWrite(fd)
        phase = .lingering
        lingerDeadline = Connection.now() + lingerTimeout
        resumeReading()
        updateTimer()
    }

    /// While the server shuts down a short linger is enough: the process is about to exit and
    /// its sockets with it.
    var lingerTimeout: UInt64 {
        let configured = core.configuration.lingerTimeout.nanoseconds
        return core.isShuttingDown ? min(configured, 250_000_000) : configured
    }

    /// Closes at once; timers still pending for the connection find it closed and do nothing.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        if token != nil {
            loop.deregister(fd)
            token = nil
        }
        Socket.close(fd)
        core.unregister(self)
    }
}
