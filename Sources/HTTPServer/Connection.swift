import Dispatch
import Glibc

/// One accepted client: its socket, its parser and its pending output.
///
/// Confinement: every method runs on `worker.queue` (the sources, timers and async blocks all
/// target it), so the mutable state below is never touched concurrently. That is what makes
/// `@unchecked Sendable` safe; the type is Sendable only so it can be handed to that queue.
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
    let worker: Worker
    let info: ConnectionInfo
    let transport: Transport
    var parser: HTTPParser
    var phase = Phase.open
    var output: [UInt8] = []
    var outputSent = 0
    /// Responses waiting behind a delayed one, in request order.
    var held: [HeldResponse] = []
    var heldTimerArmed = false
    /// No further requests will be answered: close once everything queued has been sent.
    var closeQueued = false
    var peerClosed = false
    var servedAny = false
    let acceptedAt: UInt64
    var lastActivity: UInt64
    var partialSince: UInt64?
    var lingerDeadline: UInt64 = 0
    var timerFireAt = UInt64.max
    var readSource: DispatchSourceRead?
    var writeSource: DispatchSourceWrite?
    var readPaused = false
    var writeArmed = false
    var liveSources = 0
    var timer: DispatchSourceTimer?

    init(fd: Int32, core: ServerCore, worker: Worker, info: ConnectionInfo, transport: Transport = .plain) {
        self.fd = fd
        self.transport = transport
        self.core = core
        self.worker = worker
        self.info = info
        self.parser = HTTPParser(limits: core.limits)
        self.acceptedAt = Connection.now()
        self.lastActivity = acceptedAt
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func start() {
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: worker.queue)
        read.setEventHandler { [self] in onReadable() }
        read.setCancelHandler { [self] in sourceCancelled() }
        readSource = read
        liveSources += 1
        let timer = DispatchSource.makeTimerSource(queue: worker.queue)
        timer.setEventHandler { [self] in onTimer() }
        self.timer = timer
        updateTimer()
        timer.resume()
        read.resume()
    }

    // MARK: reading

    func onReadable() {
        switch phase {
        case .closed: return
        case .lingering: return discardInput()
        case .open: break
        }
        let buffer = worker.readBuffer
        reading: while true {
            switch transport.read(fd, into: buffer) {
            case .bytes(let count):
                if !closeQueued { parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
                // A short read means the socket is drained; the source fires again if not.
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
            // paused for good, as an EOF would keep the source firing.
            closeQueued = true
            pauseReading()
        }
        flush()
        updateTimer()
    }

    private func discardInput() {
        while true {
            switch Socket.read(fd, into: worker.readBuffer) {
            case .bytes: continue
            case .wouldBlock: return
            case .endOfFile, .failed: return close()
            }
        }
    }

    func pauseReading() {
        guard !readPaused, let readSource else { return }
        readSource.suspend()
        readPaused = true
    }

    func resumeReading() {
        guard readPaused, !peerClosed, let readSource else { return }
        readSource.resume()
        readPaused = false
    }

    // MARK: writing

    /// Sends as much pending output as the socket takes; arms the write source for the rest.
    func flush() {
        guard phase == .open else { return }
        while outputSent < output.count {
            let result = output.withUnsafeBytes {
                transport.send(fd, UnsafeRawBufferPointer(rebasing: $0[outputSent...]))
            }
            switch result {
            case .bytes(let count):
                outputSent += count
            case .wouldBlock, .endOfFile:
                // Waiting for input (a TLS handshake step) must not arm a write source that
                // would fire at once and forever; the read source brings the retry.
                if transport.writeWantsReadable { resumeReading() } else { armWrite() }
                if output.count - outputSent > Connection.outputHighWater { pauseReading() }
                return
            case .failed:
                return close()
            }
        }
        if output.capacity > Connection.outputHighWater { output = [] } else { output.removeAll(keepingCapacity: true) }
        outputSent = 0
        if !transport.readWantsWritable { disarmWrite() }
        if closeQueued && held.isEmpty { return finishSending() }
        resumeReading()
    }

    private func armWrite() {
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: worker.queue)
            source.setEventHandler { [self] in onWritable() }
            source.setCancelHandler { [self] in sourceCancelled() }
            writeSource = source
            liveSources += 1
        }
        if !writeArmed, let writeSource {
            writeSource.resume()
            writeArmed = true
        }
    }

    private func disarmWrite() {
        guard writeArmed, let writeSource else { return }
        writeSource.suspend()
        writeArmed = false
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

    /// Closes at once. The descriptor itself is closed when its sources report cancellation,
    /// never while one of them may still be registered on it.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        timer?.cancel()
        timer = nil
        if let writeSource {
            if !writeArmed { writeSource.resume() }
            writeSource.cancel()
        }
        if let readSource {
            if readPaused { readSource.resume() }
            readSource.cancel()
        }
    }

    private func sourceCancelled() {
        liveSources -= 1
        guard liveSources == 0 else { return }
        Socket.close(fd)
        readSource = nil
        writeSource = nil
        core.unregister(self)
    }
}
