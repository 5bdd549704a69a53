import Glibc
import Testing

@testable import HTTPServer

/// The connection's output stream: copied bytes and referenced bodies leave in order, whatever
/// the socket takes per call, and more pieces than one `sendmsg` carries.
struct OutputBufferTests {
    /// Sends the whole buffer through a fake socket taking at most `take()` bytes per call.
    private func drain(_ output: inout OutputBuffer, take: () -> Int) -> (bytes: [UInt8], calls: Int, gathered: Int) {
        var wire: [UInt8] = []
        var calls = 0
        var gathered = 0
        while output.hasUnsent {
            calls += 1
            let limit = take()
            let result = output.sendUnsent(
                { bytes in
                    let n = min(limit, bytes.count)
                    wire.append(contentsOf: bytes[..<n])
                    return .bytes(n)
                },
                gathered: { pieces in
                    gathered += 1
                    #expect(pieces.count <= OutputBuffer.maxSegments)
                    var left = limit
                    for piece in pieces where left > 0 {
                        let raw = UnsafeRawBufferPointer(start: piece.iov_base, count: piece.iov_len)
                        let n = min(left, raw.count)
                        wire.append(contentsOf: raw[..<n])
                        left -= n
                    }
                    return .bytes(limit - left)
                })
            guard case .bytes(let n) = result else { break }
            output.sent += n
        }
        return (wire, calls, gathered)
    }

    @Test func mixedBytesAndBodiesArriveInOrderOverPartialSends() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var output = OutputBuffer()
            var expected: [UInt8] = []
            // Up to 80 responses: more referenced bodies than one sendmsg carries.
            for response in 0..<Int.random(in: 1...80, using: &generator) {
                let head = Array("HTTP/1.1 200 OK\r\nX-N: \(round).\(response)\r\n\r\n".utf8)
                output.bytes.append(contentsOf: head)
                expected.append(contentsOf: head)
                let size = [0, 10, OutputBuffer.referenceThreshold - 1, OutputBuffer.referenceThreshold, 5_551].randomElement(
                    using: &generator) ?? 0
                let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ response) }
                output.append(body: body)
                expected.append(contentsOf: body)
            }
            #expect(output.count == expected.count)
            let sent = drain(&output) { Int.random(in: 1...9_000, using: &generator) }
            #expect(sent.bytes == expected)
            output.clear(keepLimit: 1 << 20)
            #expect(!output.hasUnsent && output.count == 0)
        }
    }

    @Test func smallBodiesAreCopiedLargeOnesReferenced() {
        var output = OutputBuffer()
        output.bytes.append(contentsOf: [1, 2, 3])
        output.append(body: [UInt8](repeating: 7, count: 100))
        #expect(output.bytes.count == 103)
        output.append(body: [UInt8](repeating: 9, count: 6_000))
        #expect(output.bytes.count == 103 && output.count == 6_103)
        let sent = drain(&output) { Int.max }
        #expect(sent.calls == 1 && sent.gathered == 1)
        #expect(sent.bytes == [1, 2, 3] + [UInt8](repeating: 7, count: 100) + [UInt8](repeating: 9, count: 6_000))
    }

    /// A real socket pair with a small send buffer: `sendmsg` takes part of the pieces, and the
    /// rest follows once the reader has drained some.
    @Test func gatheredSendsOverASocketResumeAfterPartialWrites() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer {
            Socket.close(fds[0])
            Socket.close(fds[1])
        }
        var small: Int32 = 4_096
        _ = setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        var output = OutputBuffer()
        var expected: [UInt8] = []
        for i in 0..<20 {
            output.bytes.append(contentsOf: Array("head \(i)\n".utf8))
            expected.append(contentsOf: Array("head \(i)\n".utf8))
            let body = [UInt8](repeating: UInt8(i), count: 50_000)
            output.append(body: body)
            expected.append(contentsOf: body)
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var partial = false
        while output.hasUnsent {
            switch output.sendUnsent({ Socket.send(fds[0], $0) }, gathered: { Socket.send(fds[0], gathering: $0) }) {
            case .bytes(let n):
                if n < output.unsent { partial = true }
                output.sent += n
            case .wouldBlock:
                partial = true
                let n = buffer.withUnsafeMutableBytes { read(fds[1], $0.baseAddress, $0.count) }
                if n > 0 { received.append(contentsOf: buffer[..<n]) }
            case .endOfFile, .failed:
                Issue.record("send failed")
                return
            }
        }
        while received.count < expected.count {
            let n = buffer.withUnsafeMutableBytes { read(fds[1], $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            received.append(contentsOf: buffer[..<n])
        }
        #expect(partial)
        #expect(received == expected)
    }
}
