import COpenSSL
import Glibc
import HTTPServer

/// A blocking TLS 1.2/1.3 client over `TestClient`'s socket (and its kernel timeouts), for tests
/// of the server's https side: handshake, requests, how the server ends a connection.
public final class TLSTestClient {
    public struct Options {
        /// PEM certificates to verify the server against; nil skips verification.
        public var trustedCertificatePEM: String?
        /// Sent as SNI and, with verification, checked against the certificate's names.
        public var serverName: String?
        public var minimumVersion: Int32 = TLS1_2_VERSION
        public var maximumVersion: Int32 = TLS1_3_VERSION

        public init(trustedCertificatePEM: String? = nil, serverName: String? = nil) {
            self.trustedCertificatePEM = trustedCertificatePEM
            self.serverName = serverName
        }

        /// Offers only TLS 1.1, for testing that the server refuses it. OpenSSL 3 itself only
        /// offers it at security level 0.
        public static var tls11Only: Options {
            var options = Options()
            options.minimumVersion = TLS1_1_VERSION
            options.maximumVersion = TLS1_1_VERSION
            return options
        }
    }

    public let socket: TestClient
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var buffer: [UInt8] = []

    /// Connects and completes the handshake, or throws `TLSTestError.handshake` with OpenSSL's reason.
    public static func connect(
        host: String, port: Int, options: Options = Options(), timeout: Duration = .seconds(5)
    ) throws -> TLSTestClient {
        let socket = try TestClient.connect(host: host, port: port, timeout: timeout)
        return try TLSTestClient(socket: socket, options: options)
    }

    private init(socket: TestClient, options: Options) throws {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSTestError.handshake(Self.reasons()) }
        SSL_CTX_set_security_level(context, options.minimumVersion < TLS1_2_VERSION ? 0 : 1)
        if options.minimumVersion < TLS1_2_VERSION { SSL_CTX_set_cipher_list(context, "DEFAULT:@SECLEVEL=0") }
        _ = pcmock_SSL_CTX_set_min_proto_version(context, options.minimumVersion)
        _ = pcmock_SSL_CTX_set_max_proto_version(context, options.maximumVersion)
        if let pem = options.trustedCertificatePEM {
            Self.trust(pem, in: context)
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw TLSTestError.handshake(Self.reasons())
        }
        self.socket = socket
        self.context = context
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        if let name = options.serverName {
            _ = pcmock_SSL_set_tlsext_host_name(ssl, name)
            if options.trustedCertificatePEM != nil { SSL_set1_host(ssl, name) }
        }
        guard SSL_connect(ssl) == 1 else { throw TLSTestError.handshake(Self.reasons()) }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// "TLSv1.3", "TLSv1.2".
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                SSL_write(ssl, raw.baseAddress.map { $0 + sent }, Int32(raw.count - sent))
            }
            guard count > 0 else { throw TLSTestError.io("SSL_write: " + Self.reasons()) }
            sent += Int(count)
        }
    }

    /// Reads one response framed by Content-Length (all this server sends).
    public func readResponse() throws -> TestResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd == nil { guard try fill() else { throw TLSTestError.closed } }
        }
        let end = headEnd ?? 0
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n").map(String.init)
        buffer.removeFirst(end + 4)
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2).map(String.init) ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw TLSTestError.io("malformed status line \(lines.first ?? "")")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw TLSTestError.io("malformed field \(line)") }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        let length = Int(headers["Content-Length"] ?? "0") ?? 0
        while buffer.count < length { guard try fill() else { throw TLSTestError.closed } }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return TestResponse(
            version: statusParts[0], status: status, reason: statusParts.count > 2 ? statusParts[2] : "",
            headers: headers, body: body)
    }

    /// True when the server ends the session (close_notify or TCP close) without sending more.
    public func isClosedByServer() throws -> Bool {
        guard buffer.isEmpty else { return false }
        return try !fill()
    }

    /// One SSL_read into the buffer; false at the end of the stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
        if count > 0 {
            buffer += chunk[0..<Int(count)]
            return true
        }
        let error = SSL_get_error(ssl, count)
        let code = errno
        ERR_clear_error()
        if error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && code == 0) { return false }
        if error == SSL_ERROR_SYSCALL && code == ECONNRESET { return false }
        if error == SSL_ERROR_WANT_READ { throw TestClientError.timeout }
        throw TLSTestError.io("SSL_read: error \(error), errno \(code)")
    }

    private static func trust(_ pem: String, in context: OpaquePointer) {
        let bytes = Array(pem.utf8)
        bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return }
            defer { BIO_free(bio) }
            let store = SSL_CTX_get_cert_store(context)
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                X509_STORE_add_cert(store, certificate)
                X509_free(certificate)
            }
            ERR_clear_error()
        }
    }

    private static func reasons() -> String {
        var parts: [String] = []
        var text = [CChar](repeating: 0, count: 256)
        while case let code = ERR_get_error(), code != 0 {
            ERR_error_string_n(code, &text, text.count)
            parts.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.isEmpty ? "closed by peer" : parts.joined(separator: "; ")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

public enum TLSTestError: Error, CustomStringConvertible {
    case handshake(String)
    case io(String)
    case closed

    public var description: String {
        switch self {
        case .handshake(let reason): "handshake failed: \(reason)"
        case .io(let reason): "TLS I/O failed: \(reason)"
        case .closed: "connection closed before a complete response"
        }
    }
}
