import COpenSSL
import Glibc

/// One connection's TLS state over its non-blocking socket. The handshake is not a separate
/// step: in accept state, the first `SSL_read` performs it, so the connection's ordinary
/// read-readiness drives it, and no call ever blocks.
///
/// Confinement: created on the accept loop before the connection exists, then used only on the
/// connection's event loop thread; never concurrently, hence `@unchecked Sendable`.
final class TLSSession: @unchecked Sendable {
    private let ssl: OpaquePointer
    let handshakeTimeout: Duration
    private var established = false
    /// A fatal protocol error or a reset: OpenSSL forbids `SSL_shutdown` after one.
    private var broken = false
    /// The last read could not proceed until the socket is writable (a handshake flight that
    /// did not fit the send buffer), or the last write until it is readable.
    private(set) var readWantsWritable = false
    private(set) var writeWantsReadable = false

    init?(context: TLSContext, fd: Int32, handshakeTimeout: Duration) {
        guard let ssl = SSL_new(context.pointer) else {
            TLSError.drainErrorQueue()
            return nil
        }
        guard SSL_set_fd(ssl, fd) == 1 else {
            TLSError.drainErrorQueue()
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.handshakeTimeout = handshakeTimeout
    }

    deinit {
        SSL_free(ssl)
    }

    var isEstablished: Bool {
        if !established && SSL_is_init_finished(ssl) == 1 { established = true }
        return established
    }

    /// Decrypted bytes that OpenSSL holds although the socket may be drained: a read that came
    /// back short has not emptied the connection while this is true.
    var hasBufferedInput: Bool { SSL_has_pending(ssl) == 1 }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult {
        let result = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        let code = errno
        readWantsWritable = false
        if result > 0 { return .bytes(Int(result)) }
        return outcome(of: result, errno: code, retryFlag: &readWantsWritable, waitsFor: SSL_ERROR_WANT_WRITE)
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> Socket.IOResult {
        guard bytes.count > 0 else { return .bytes(0) }
        let result = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        let code = errno
        writeWantsReadable = false
        if result > 0 { return .bytes(Int(result)) }
        let outcome = outcome(of: result, errno: code, retryFlag: &writeWantsReadable, waitsFor: SSL_ERROR_WANT_READ)
        // A write that can never proceed is a failure, like EPIPE on a plain socket; reported as
        // an end of stream the connection would wait for writability that changes nothing.
        if case .endOfFile = outcome { return .failed(EPIPE) }
        return outcome
    }

    /// Maps a failed `SSL_read`/`SSL_write` (SSL_get_error(3)). `waitsFor` is the want that
    /// inverts the readiness the caller is waiting on; it is reported through `retryFlag`.
    private func outcome(of result: Int32, errno code: Int32, retryFlag: inout Bool, waitsFor: Int32)
        -> Socket.IOResult
    {
        let error = SSL_get_error(ssl, result)
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            retryFlag = error == waitsFor
            return .wouldBlock
        case SSL_ERROR_ZERO_RETURN:
            // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a TCP close without one.
            ERR_clear_error()
            return .endOfFile
        case SSL_ERROR_SYSCALL:
            broken = true
            TLSError.drainErrorQueue()
            return .failed(code == 0 ? ECONNRESET : code)
        default:
            // Not TLS (say, plain HTTP sent to the https port), a refused version, a bad record.
            broken = true
            TLSError.drainErrorQueue()
            return .failed(EPROTO)
        }
    }

    /// Sends close_notify (RFC 8446 §6.1) when the session is healthy; best effort, since a
    /// full send buffer only means the peer gets a TCP close without it.
    func shutdownWrite(_ fd: Int32) {
        if !broken && isEstablished {
            if SSL_shutdown(ssl) < 0 { TLSError.drainErrorQueue() }
        }
        shutdown(fd, Int32(SHUT_WR))
    }
}
