import Glibc

/// A certificate chain and its private key, as PEM text: what a TLS server presents. The text is
/// kept (not parsed objects) so that it can be written out for clients to trust and handed to
/// any number of servers.
public struct TLSIdentity: Sendable {
    /// The leaf certificate first, then any intermediates (RFC 8446 §4.4.2 order).
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// Reads a PEM certificate (chain) file and a PEM private key file. Whether they parse and
    /// belong together is checked when a `TLSConfiguration` is built from them.
    public init(certificateFile: String, privateKeyFile: String) throws(TLSError) {
        self.init(
            certificatePEM: try Self.readText(certificateFile), privateKeyPEM: try Self.readText(privateKeyFile))
    }

    /// Key files are small; anything past this is not a PEM file we want to hold in memory.
    private static let maxFileBytes = 1 << 20

    private static func readText(_ path: String) throws(TLSError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TLSError(operation: "open(\(path))", reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TLSError(operation: "read(\(path))", reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > maxFileBytes {
                throw TLSError(operation: "read(\(path))", reason: "larger than \(maxFileBytes) bytes")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
