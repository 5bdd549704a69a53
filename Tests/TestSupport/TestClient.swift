import Glibc
import HTTPServer

/// A deliberately plain HTTP/1.1 client on a blocking socket, for tests that need to control
/// every byte on the wire (split requests, pipelining, stalls). Every read and write has a
/// kernel timeout (SO_RCVTIMEO / SO_SNDTIMEO), so a test fails instead of hanging.
public final class TestClient {
    public let fd: Int32
    private var buffer: [UInt8] = []
    private var sawEOF = false

    /// Connects to a numeric address or a name (`127.0.0.1`, `::1`, `localhost`).
    public static func connect(host: String, port: Int, timeout: Duration = .seconds(5)) throws -> TestClient {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list?.pointee, let address = info.ai_addr else {
            throw TestClientError.socket(operation: "getaddrinfo", errno: status)
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestClientError.socket(operation: "socket", errno: errno) }
        var interval = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, size)
        guard Glibc.connect(fd, address, info.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestClientError.socket(operation: "connect", errno: code)
        }
        return TestClient(fd: fd)
    }

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        Glibc.close(fd)
    }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + sent }, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw errno == EAGAIN
                    ? TestClientError.timeout : TestClientError.socket(operation: "send", errno: errno)
            }
            sent += count
        }
    }

    /// Half-closes: the server sees end of input, the client can still read.
    public func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one response. `headOnly` for responses to HEAD, which carry no body whatever
    /// their Content-Length says. A 1xx interim response is returned on its own.
    public func readResponse(headOnly: Bool = false) throws -> TestResponse {
        let headEnd = try readUntilHeadEnd()
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else {
            throw TestClientError.malformedResponse("status line \(statusLine)")
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw TestClientError.malformedResponse("field \(line)") }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            headers.add(String(line[..<colon]), value)
        }
        var response = TestResponse(
            version: statusLine[0], status: status, reason: statusLine.count > 2 ? statusLine[2] : "",
            headers: headers, body: [])
        if headOnly || status < 200 || status == 204 || status == 304 { return response }
        if let length = headers["Content-Length"] {
            guard let count = Int(length) else { throw TestClientError.malformedResponse("Content-Length \(length)") }
            response.body = try take(count)
        } else if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            response.body = try readChunkedBody()
        } else {
            response.body = try readUntilClose()
        }
        return response
    }

    /// Everything until the server closes the connection (what was buffered included).
    public func readUntilClose() throws -> [UInt8] {
        while !sawEOF { try fill() }
        defer { buffer.removeAll() }
        return buffer
    }

    /// Whether any bytes (or the end of the stream) are ready to read right now, without waiting.
    public func hasDataWaiting() -> Bool {
        if !buffer.isEmpty || sawEOF { return true }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// True when the server has closed the connection without sending anything more.
    public func isClosedByServer() throws -> Bool {
        try readUntilClose().isEmpty
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try takeLine()
            guard let size = Int(line.split(separator: ";")[0], radix: 16) else {
                throw TestClientError.malformedResponse("chunk size \(line)")
            }
            if size == 0 {
                while try !takeLine().isEmpty {}
                return body
            }
            body += try take(size)
            _ = try take(2)
        }
    }

    private func takeLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 1)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            try fill()
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    private func readUntilHeadEnd() throws -> Int {
        while true {
            if let end = findHeadEnd() { return end }
            try fill()
        }
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// One read. EOF while a response is incomplete is an error; a reset is reported as such.
    private func fill() throws {
        guard !sawEOF else { throw TestClientError.closedBeforeResponse(received: buffer.count) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[0..<count]
                return
            }
            if count == 0 {
                sawEOF = true
                return
            }
            if errno == EINTR { continue }
            throw errno == EAGAIN ? TestClientError.timeout : TestClientError.socket(operation: "recv", errno: errno)
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
