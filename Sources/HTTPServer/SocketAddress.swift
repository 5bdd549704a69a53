import Glibc

/// An IPv4 or IPv6 socket address, as getaddrinfo, accept and getsockname fill it in.
struct SocketAddress: Sendable {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    var family: Int32 { Int32(storage.ss_family) }

    /// Resolves a listening address: a numeric IPv4/IPv6 address or a name like `localhost`.
    /// IPv4 results come first so that a name's primary address is the one most clients try.
    static func resolve(host: String, port: Int) throws(SocketError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw SocketError(
                operation: "getaddrinfo(\(host))", code: status, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var result: [SocketAddress] = []
        var node = list
        while let info = node?.pointee {
            node = info.ai_next
            guard let address = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 else { continue }
            var entry = SocketAddress()
            withUnsafeMutableBytes(of: &entry.storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen)))
            }
            entry.length = info.ai_addrlen
            if !result.contains(where: { $0.host == entry.host }) { result.append(entry) }
        }
        return result.filter { $0.family == AF_INET } + result.filter { $0.family == AF_INET6 }
    }

    /// The numeric host (no brackets for IPv6).
    var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var copy = storage
        let converted: UnsafePointer<CChar>? = withUnsafePointer(to: &copy) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    return inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var raw = address.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
            }
        }
        guard converted != nil else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var port: Int {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        }
    }

    mutating func setPort(_ port: Int) {
        let networkPort = UInt16(truncatingIfNeeded: port).bigEndian
        let isIPv6 = family == AF_INET6
        withUnsafeMutablePointer(to: &storage) { pointer in
            if isIPv6 {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port = networkPort }
            } else {
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port = networkPort }
            }
        }
    }

    /// Whether this is the IPv6 wildcard `::`, which should accept IPv4 clients as well.
    var isIPv6Wildcard: Bool { family == AF_INET6 && host == "::" }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// The local address of a bound socket.
    static func local(of fd: Int32) throws(SocketError) -> SocketAddress {
        var address = SocketAddress()
        let status = withUnsafeMutablePointer(to: &address.storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &address.length) }
        }
        if status != 0 { throw SocketError.fromErrno("getsockname") }
        return address
    }
}
