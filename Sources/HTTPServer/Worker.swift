import Dispatch

/// One serial queue and the scratch state its connections share. Everything mutable here is
/// touched only from blocks running on `queue`, which serializes them: that is what makes the
/// `@unchecked Sendable` safe.
final class Worker: @unchecked Sendable {
    let queue: DispatchQueue
    /// Sockets are drained into this one buffer, so idle connections own no read buffer.
    let readBuffer: UnsafeMutableRawBufferPointer
    var date = HTTPDateCache()

    init(index: Int) {
        queue = DispatchQueue(label: "pcmock.http.worker.\(index)")
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }
}
