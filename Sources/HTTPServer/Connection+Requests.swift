/// A serialized response that must wait: either delayed itself, or queued behind one that is.
struct HeldResponse {
    var bytes: [UInt8]
    var readyAt: UInt64
    /// Not a response: the point where the connection is dropped without one.
    var drops = false
}

extension Connection {
    /// Answers every complete request in the parser, in order, into the output buffer.
    func processInput() {
        while !closeQueued {
            let event: HTTPParser.Event?
            do {
                event = try parser.next()
            } catch {
                respondToError(status: error.status, message: error.message)
                break
            }
            guard let event else { break }
            switch event {
            case .continueNeeded:
                // RFC 9110 §10.1.1: the interim response, so the client sends its body.
                enqueue(ResponseWriter.continueResponse, delay: nil)
            case .request(let request):
                respond(to: request)
            }
        }
        if parser.hasPartialRequest && partialSince == nil { partialSince = lastActivity }
    }

    private func respond(to request: HTTPRequest) {
        servedAny = true
        partialSince = nil
        let response = core.handler(request, info)
        if response.dropConnection {
            closeQueued = true
            if held.isEmpty && response.delay == nil {
                dropQueued = true
            } else {
                held.append(HeldResponse(bytes: [], readyAt: Connection.now() + (response.delay?.nanoseconds ?? 0), drops: true))
                scheduleHeld()
            }
            return
        }
        let keepAlive = request.wantsKeepAlive && !response.asksToClose && !core.isShuttingDown
        if !keepAlive { closeQueued = true }
        let header: ResponseWriter.ConnectionHeader =
            !keepAlive ? .close : (request.version == .http1_0 ? .keepAlive : .none)
        write(response, headOnly: request.method == "HEAD", connection: header)
    }

    /// Answers a request the server could not frame or did not get in time; the connection
    /// ends after it, since whatever follows cannot be trusted to start a request.
    func respondToError(status: Int, message: String) {
        closeQueued = true
        write(core.configuration.errorResponder(status, message), headOnly: false, connection: .close)
    }

    private func write(_ response: HTTPResponse, headOnly: Bool, connection: ResponseWriter.ConnectionHeader) {
        if held.isEmpty && response.delay == nil {
            guard case .plain = transport else {
                return ResponseWriter.write(
                    response, headOnly: headOnly, connection: connection, date: &loop.date, into: &output.bytes)
            }
            if ResponseWriter.writeHead(
                response, headOnly: headOnly, connection: connection, date: &loop.date, into: &output.bytes)
            {
                output.append(body: response.body)
            }
            return
        }
        var bytes: [UInt8] = []
        ResponseWriter.write(response, headOnly: headOnly, connection: connection, date: &loop.date, into: &bytes)
        enqueue(bytes, delay: response.delay)
    }

    private func enqueue(_ bytes: [UInt8], delay: Duration?) {
        if held.isEmpty && delay == nil {
            output.bytes.append(contentsOf: bytes)
            return
        }
        held.append(HeldResponse(bytes: bytes, readyAt: Connection.now() + (delay?.nanoseconds ?? 0)))
        scheduleHeld()
    }

    /// One pending wake-up at a time, for the first held response; the rest follow in order.
    private func scheduleHeld() {
        guard !heldTimerArmed, let first = held.first else { return }
        heldTimerArmed = true
        heldWakeAt = first.readyAt
        loop.schedule(self, at: first.readyAt)
    }

    func releaseHeld() {
        heldTimerArmed = false
        guard phase == .open else { return }
        let now = Connection.now()
        var released = 0
        while released < held.count && held[released].readyAt <= now {
            if held[released].drops {
                // Nothing after the drop point is ever sent (no request after it was read).
                dropQueued = true
                released = held.count
                break
            }
            output.bytes.append(contentsOf: held[released].bytes)
            released += 1
        }
        held.removeFirst(released)
        scheduleHeld()
        lastActivity = now
        flush()
        updateTimer()
    }

    /// Graceful shutdown: answer what has already arrived, then close once idle.
    func beginShutdown() {
        if phase == .lingering {
            lingerDeadline = min(lingerDeadline, Connection.now() + lingerTimeout)
            return updateTimer()
        }
        guard phase == .open else { return }
        if !readPaused { onReadable() }
        guard phase == .open else { return }
        if !parser.hasPartialRequest {
            if held.isEmpty && !output.hasUnsent { return close() }
            closeQueued = true
        }
    }
}
