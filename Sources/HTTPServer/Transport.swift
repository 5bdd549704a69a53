import Glibc

/// How a connection moves bytes over its socket: as they are, or through TLS. An enum rather
/// than a protocol so that the plain path stays a direct call with no dynamic dispatch.
enum Transport {
    case plain
    case tls(TLSSession)

    @inline(__always)
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult {
        switch self {
        case .plain: Socket.read(fd, into: buffer)
        case .tls(let session): session.read(into: buffer)
        }
    }

    @inline(__always)
    func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Socket.IOResult {
        switch self {
        case .plain: Socket.send(fd, bytes)
        case .tls(let session): session.send(bytes)
        }
    }

    /// After a short read: whether input may still be waiting that no readiness event will
    /// announce (TLS records already pulled off the socket).
    var hasBufferedInput: Bool {
        switch self {
        case .plain: false
        case .tls(let session): session.hasBufferedInput
        }
    }

    /// A read is blocked until the socket is writable (TLS handshake output).
    var readWantsWritable: Bool {
        switch self {
        case .plain: false
        case .tls(let session): session.readWantsWritable
        }
    }

    /// A write is blocked until the socket is readable (TLS handshake input).
    var writeWantsReadable: Bool {
        switch self {
        case .plain: false
        case .tls(let session): session.writeWantsReadable
        }
    }

    /// The deadline of a handshake still in progress, nil once there is none.
    func handshakeDeadline(acceptedAt: UInt64) -> UInt64? {
        guard case .tls(let session) = self, !session.isEstablished else { return nil }
        return acceptedAt + session.handshakeTimeout.nanoseconds
    }

    /// Half-closes the sending side (after close_notify under TLS).
    func shutdownWrite(_ fd: Int32) {
        switch self {
        case .plain: shutdown(fd, Int32(SHUT_WR))
        case .tls(let session): session.shutdownWrite(fd)
        }
    }
}
