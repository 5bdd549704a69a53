import COpenSSL

/// An OpenSSL server context: protocol versions, ciphers, certificate chain and key.
///
/// Sendable because it is configured completely in `init` and only read afterwards: OpenSSL
/// allows `SSL_new` on one `SSL_CTX` from many threads at once (its session cache is locked).
final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer

    /// TLS 1.2 suites with forward secrecy and AEAD only (TLS 1.3's suites are all of that kind).
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    init(identity: TLSIdentity) throws(TLSError) {
        TLSError.drainErrorQueue()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .drainingQueue("SSL_CTX_new") }
        pointer = context
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); the maximum stays OpenSSL's newest, TLS 1.3.
        guard pcmock_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .drainingQueue("SSL_CTX_set_min_proto_version")
        }
        pcmock_SSL_CTX_set_server_options(context)
        pcmock_SSL_CTX_set_nonblocking_modes(context)
        guard SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1 else {
            throw .drainingQueue("SSL_CTX_set_cipher_list")
        }
        try useCertificateChain(identity.certificatePEM)
        try usePrivateKey(identity.privateKeyPEM)
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .drainingQueue("SSL_CTX_check_private_key (the key does not match the certificate)")
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    private func useCertificateChain(_ pem: String) throws(TLSError) {
        let bio = try MemoryBIO(text: pem)
        guard let leaf = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
            throw .drainingQueue("PEM_read_bio_X509 (no certificate in the PEM text)")
        }
        defer { X509_free(leaf) }
        guard SSL_CTX_use_certificate(pointer, leaf) == 1 else { throw .drainingQueue("SSL_CTX_use_certificate") }
        // Whatever follows the leaf is its chain; the end of the text leaves a "no start line"
        // entry on the error queue, which is expected and dropped.
        while let intermediate = PEM_read_bio_X509(bio.pointer, nil, nil, nil) {
            guard pcmock_SSL_CTX_add0_chain_cert(pointer, intermediate) == 1 else {
                X509_free(intermediate)
                throw .drainingQueue("SSL_CTX_add0_chain_cert")
            }
        }
        TLSError.drainErrorQueue()
    }

    private func usePrivateKey(_ pem: String) throws(TLSError) {
        let bio = try MemoryBIO(text: pem)
        // A passphrase callback that answers none: OpenSSL's default one would prompt on the terminal.
        guard let key = PEM_read_bio_PrivateKey(bio.pointer, nil, { _, _, _, _ in 0 }, nil) else {
            throw .drainingQueue("PEM_read_bio_PrivateKey (no unencrypted private key in the PEM text)")
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(pointer, key) == 1 else { throw .drainingQueue("SSL_CTX_use_PrivateKey") }
    }
}

/// A read-only memory BIO over a copy of some text, freed with it.
struct MemoryBIO: ~Copyable {
    let pointer: OpaquePointer
    private let storage: UnsafeMutableBufferPointer<UInt8>

    init(text: String) throws(TLSError) {
        let bytes = Array(text.utf8)
        storage = .allocate(capacity: max(1, bytes.count))
        _ = storage.initialize(from: bytes)
        guard let bio = BIO_new_mem_buf(storage.baseAddress, Int32(clamping: bytes.count)) else {
            storage.deallocate()
            throw .drainingQueue("BIO_new_mem_buf")
        }
        pointer = bio
    }

    deinit {
        BIO_free(pointer)
        storage.deallocate()
    }
}
