/// One timer per connection covers every timeout. It is re-armed only when a deadline moves
/// earlier; when it fires early it re-arms for the current deadline. The per-request cost is
/// then a clock read and a comparison, not a timer reschedule.
extension Connection: LoopTimerTarget {
    enum TimeoutAction {
        case none
        case close
        case requestTimeout
    }

    func currentDeadline() -> (at: UInt64, action: TimeoutAction) {
        let configuration = core.configuration
        switch phase {
        case .closed:
            return (.max, .none)
        case .lingering:
            return (lingerDeadline, .close)
        case .open:
            if let handshake = transport.handshakeDeadline(acceptedAt: acceptedAt) { return (handshake, .close) }
            let idle = lastActivity + configuration.idleTimeout.nanoseconds
            // A client that does not read its responses gets as long as an idle one.
            if output.hasUnsent { return (idle, .close) }
            // The held responses' own wake-up moves the connection on.
            if !held.isEmpty { return (.max, .none) }
            if closeQueued { return (idle, .close) }
            if parser.isReadingBody { return (idle, .requestTimeout) }
            if let partialSince { return (partialSince + configuration.headerTimeout.nanoseconds, .requestTimeout) }
            // A client that connects and never sends gets no longer than a slow header would.
            if !servedAny { return (acceptedAt + configuration.headerTimeout.nanoseconds, .close) }
            return (idle, .close)
        }
    }

    func updateTimer() {
        let deadline = currentDeadline().at
        guard deadline < timerFireAt else { return }
        arm(at: deadline)
    }

    private func arm(at deadline: UInt64) {
        timerFireAt = deadline
        guard deadline != .max else { return }
        loop.schedule(self, at: deadline)
    }

    func timerFired(scheduledAt: UInt64) {
        guard phase != .closed else { return }
        if heldTimerArmed && scheduledAt == heldWakeAt { releaseHeld() }
        if phase != .closed && scheduledAt == timerFireAt { onTimer() }
    }

    func isWaiting(for deadline: UInt64) -> Bool {
        phase != .closed && (deadline == timerFireAt || (heldTimerArmed && deadline == heldWakeAt))
    }

    func onTimer() {
        guard phase != .closed else { return }
        timerFireAt = .max
        let (deadline, action) = currentDeadline()
        if Connection.now() < deadline { return arm(at: deadline) }
        switch action {
        case .none:
            return
        case .close:
            close()
        case .requestTimeout:
            respondToError(status: 408, message: "request not received in time")
            flush()
            updateTimer()
        }
    }
}
