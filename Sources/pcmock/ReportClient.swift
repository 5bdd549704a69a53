import FoundationEssentials
import Glibc

/// Just enough HTTP/1.1 to fetch one document from a running pcmock: one GET on a blocking
/// socket with kernel timeouts, `Connection: close`, a `Content-Length` or chunked body
/// (RFC 9112 §6–7). Plain http only; the binary links no TLS client.
struct ReportClient {
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let host: String
    let port: Int
    var timeoutSeconds = 10
    /// A report is small; anything larger than this is not pcmock.
    static let maxResponseBytes = 64 << 20

    func get(_ target: String, headers: [(String, String)]) throws(Failure) -> Response {
        let fd = try connect()
        defer { close(fd) }
        var request = "GET \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try send(fd, Array(request.utf8))
        return try Self.parse(try receive(fd))
    }

    private var hostHeader: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    private func connect() throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var next = list
        while let info = next?.pointee {
            next = info.ai_next
            let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            var interval = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            let size = socklen_t(MemoryLayout<timeval>.size)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, size)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, size)
            if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return fd }
            lastError = errno
            close(fd)
        }
        throw Failure(description: "cannot connect to \(hostHeader): \(String(cString: strerror(lastError)))")
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + sent }, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "sending the request failed: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    /// Reads until the server closes (we asked it to) or the body is complete.
    private func receive(_ fd: Int32) throws(Failure) -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                let timedOut = errno == EAGAIN || errno == EWOULDBLOCK
                throw Failure(
                    description: timedOut
                        ? "no answer within \(timeoutSeconds) s"
                        : "reading the answer failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return data }
            data += chunk[0..<n]
            guard data.count <= Self.maxResponseBytes else { throw Failure(description: "the answer is too large") }
            if Self.isComplete(data) { return data }
        }
    }

    private static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10
        {
            return i
        }
        return nil
    }

    private static func isComplete(_ data: [UInt8]) -> Bool {
        guard let end = headEnd(data), let response = try? parseHead(data, end: end) else { return false }
        if let length = response.header("Content-Length").flatMap({ Int($0) }) { return data.count - end - 4 >= length }
        return false
    }

    private static func parseHead(_ data: [UInt8], end: Int) throws(Failure) -> Response {
        let head = String(decoding: data[0..<end], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.isEmpty ? [] : lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw Failure(description: "the answer is not HTTP/1.x")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "malformed header line") }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append((String(line[..<colon]), String(value)))
        }
        return Response(status: status, headers: headers, body: [])
    }

    static func parse(_ data: [UInt8]) throws(Failure) -> Response {
        guard let end = headEnd(data) else {
            throw Failure(description: "the connection closed before a complete answer")
        }
        var response = try parseHead(data, end: end)
        let rest = Array(data[(end + 4)...])
        if let length = response.header("Content-Length") {
            guard let n = Int(length), n >= 0, n <= rest.count else {
                throw Failure(description: "the body is truncated")
            }
            response.body = Array(rest[0..<n])
        } else if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            response.body = try dechunk(rest)
        } else {
            response.body = rest
        }
        return response
    }

    /// RFC 9112 §7.1: hex size line (extensions ignored), data, CRLF; a zero size ends it.
    static func dechunk(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while true {
            guard let lineEnd = (i..<max(i, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 })
            else {
                throw Failure(description: "truncated chunked body")
            }
            let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.filter { $0 != " " && $0 != "\t" }, radix: 16), size >= 0 else {
                throw Failure(description: "malformed chunk size")
            }
            i = lineEnd + 2
            if size == 0 { return out }
            guard i + size + 2 <= bytes.count else { throw Failure(description: "truncated chunked body") }
            out += bytes[i..<(i + size)]
            i += size + 2
        }
    }
}
