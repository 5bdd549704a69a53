import Glibc

/// A connection's unsent output: serialized bytes, and large response bodies that go to the
/// socket from their own storage (one `sendmsg` gathers them with the bytes around them), so a
/// cached 5.5 KB entity body is never copied into the buffer.
///
/// Logically one byte stream: `bytes[..<bodies[0].at]`, `bodies[0].body`,
/// `bytes[bodies[0].at..<bodies[1].at]`, … , then the rest of `bytes`. `sent` counts the bytes
/// of that stream already taken by the socket, so a partial send resumes where it stopped.
struct OutputBuffer {
    /// Bodies at least this long are referenced; shorter ones are cheaper to copy than to gather.
    static let referenceThreshold = 2_048
    /// iovecs per `sendmsg` (IOV_MAX is 1024; a batch of pipelined responses rarely needs more).
    static let maxSegments = 32

    var bytes: [UInt8] = []
    private(set) var bodies: [(at: Int, body: [UInt8])] = []
    private var bodyBytes = 0
    var sent = 0

    var count: Int { bytes.count + bodyBytes }
    var unsent: Int { count - sent }
    var hasUnsent: Bool { sent < count }

    /// Appends a body: by reference when it is large, else copied.
    mutating func append(body: [UInt8]) {
        if body.count < OutputBuffer.referenceThreshold {
            bytes.append(contentsOf: body)
        } else {
            bodies.append((bytes.count, body))
            bodyBytes += body.count
        }
    }

    /// Everything was sent: empty again, keeping the byte buffer unless it grew past `keepLimit`.
    mutating func clear(keepLimit: Int) {
        if bytes.capacity > keepLimit { bytes = [] } else { bytes.removeAll(keepingCapacity: true) }
        if !bodies.isEmpty { bodies.removeAll(keepingCapacity: true) }
        bodyBytes = 0
        sent = 0
    }

    /// One send of the unsent stream (or its first `maxSegments` pieces); `send` gets the bytes
    /// when nothing is referenced, `sendGathered` the pieces otherwise.
    func sendUnsent(
        _ send: (UnsafeRawBufferPointer) -> Socket.IOResult,
        gathered sendGathered: (UnsafeBufferPointer<iovec>) -> Socket.IOResult
    ) -> Socket.IOResult {
        bytes.withUnsafeBytes { scratch in
            if bodies.isEmpty { return send(UnsafeRawBufferPointer(rebasing: scratch[sent...])) }
            return withUnsafeTemporaryAllocation(of: iovec.self, capacity: OutputBuffer.maxSegments) { iov in
                var gathering = Gathering(iov: iov, skip: sent)
                return gather(scratch, from: 0, body: 0, &gathering, sendGathered)
            }
        }
    }

    private struct Gathering {
        let iov: UnsafeMutableBufferPointer<iovec>
        /// Bytes of the stream still to pass over (already sent).
        var skip: Int
        var used = 0

        var isFull: Bool { used >= iov.count - 1 }

        mutating func add(_ piece: UnsafeRawBufferPointer) {
            guard piece.count > skip else {
                skip -= piece.count
                return
            }
            let start = piece.baseAddress.map { $0 + skip }
            iov[used] = iovec(iov_base: UnsafeMutableRawPointer(mutating: start), iov_len: piece.count - skip)
            used += 1
            skip = 0
        }
    }

    /// Adds `scratch[from..<body's position]` and body `index`, then the next ones: recursion
    /// keeps every referenced body's storage borrowed until the one `sendmsg` has returned.
    private func gather(
        _ scratch: UnsafeRawBufferPointer, from: Int, body index: Int, _ gathering: inout Gathering,
        _ sendGathered: (UnsafeBufferPointer<iovec>) -> Socket.IOResult
    ) -> Socket.IOResult {
        let end = index < bodies.count ? bodies[index].at : scratch.count
        gathering.add(UnsafeRawBufferPointer(rebasing: scratch[from..<end]))
        if index == bodies.count || gathering.isFull {
            return sendGathered(UnsafeBufferPointer(rebasing: gathering.iov[..<gathering.used]))
        }
        return bodies[index].body.withUnsafeBytes { body in
            gathering.add(body)
            return gather(scratch, from: end, body: index + 1, &gathering, sendGathered)
        }
    }
}
