import Glibc

/// The raw file-descriptor calls the server makes. Only this file, `Listener` and `Connection`
/// touch a descriptor; everything here returns errno instead of throwing so the hot paths can
/// treat EAGAIN as the ordinary event it is.
enum Socket {
    enum IOResult {
        case bytes(Int)
        case wouldBlock
        case endOfFile
        case failed(Int32)
    }

    /// Retries a call interrupted by a signal (EINTR), in one place.
    @inline(__always)
    static func retryingEINTR(_ call: () -> Int) -> (result: Int, errno: Int32) {
        while true {
            let result = call()
            if result >= 0 { return (result, 0) }
            let code = errno
            if code != EINTR { return (result, code) }
        }
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        let (count, code) = retryingEINTR { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        if count > 0 { return .bytes(count) }
        if count == 0 { return .endOfFile }
        return code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : .failed(code)
    }

    /// MSG_NOSIGNAL: a peer that went away yields EPIPE here instead of killing the process.
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        let (count, code) = retryingEINTR { Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        if count >= 0 { return .bytes(count) }
        return code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : .failed(code)
    }

    /// Several pieces in one call (a response head and the body it references); as `send`.
    static func send(_ fd: Int32, gathering pieces: UnsafeBufferPointer<iovec>) -> IOResult {
        var message = msghdr()
        message.msg_iov = UnsafeMutablePointer(mutating: pieces.baseAddress)
        message.msg_iovlen = pieces.count
        let (count, code) = retryingEINTR { sendmsg(fd, &message, Int32(MSG_NOSIGNAL)) }
        if count >= 0 { return .bytes(count) }
        return code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : .failed(code)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String)
        throws(SocketError)
    {
        var value = value
        if setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw SocketError.fromErrno("setsockopt(\(label))")
        }
    }

    /// Accepted with accept4, so already non-blocking and close-on-exec.
    static func configureAccepted(_ fd: Int32) throws(SocketError) {
        // One send per batch of responses must leave at once, not wait for a delayed ACK.
        try setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
    }

    static func close(_ fd: Int32) {
        // EINTR on close must not be retried on Linux: the descriptor is already released.
        _ = Glibc.close(fd)
    }

    /// Ignored once per process: writes go through MSG_NOSIGNAL, but a stray SIGPIPE would
    /// still kill the whole mock.
    static func ignoreSIGPIPE() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Thousands of keep-alive connections need descriptors; the soft limit is often 1024.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
    }
}
