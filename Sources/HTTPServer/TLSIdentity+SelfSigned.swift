import COpenSSL
import Glibc

extension TLSIdentity {
    /// The names a local client uses for a server on this machine.
    public static let loopbackNames = ["localhost", "127.0.0.1", "::1"]

    /// A fresh EC P-256 key and a self-signed X.509 v3 certificate for `hosts` (names and
    /// IPv4/IPv6 literals) plus the loopback names. Clients trust it by taking the certificate
    /// itself as their CA file; it is valid from an hour ago (clock skew) for `days` days.
    public static func selfSigned(hosts: [String] = [], days: Int = 825) throws(TLSError) -> TLSIdentity {
        TLSError.drainErrorQueue()
        guard let key = pcmock_EVP_EC_gen_P256() else { throw .drainingQueue("EVP_EC_gen(P-256)") }
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw .drainingQueue("X509_new") }
        defer { X509_free(certificate) }
        // RFC 5280 §4.1.2.1: the value 2 means version 3, which extensions require.
        guard X509_set_version(certificate, 2) == 1 else { throw .drainingQueue("X509_set_version") }
        try setRandomSerial(certificate)
        guard X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
            X509_gmtime_adj(X509_getm_notAfter(certificate), days * 86400) != nil
        else { throw .drainingQueue("X509_gmtime_adj") }
        guard let name = X509_get_subject_name(certificate),
            X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, "pcmock", -1, -1, 0) == 1,
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "pcmock self-signed", -1, -1, 0) == 1,
            X509_set_issuer_name(certificate, name) == 1
        else { throw .drainingQueue("X509_NAME_add_entry_by_txt") }
        guard X509_set_pubkey(certificate, key) == 1 else { throw .drainingQueue("X509_set_pubkey") }
        try addExtensions(certificate, subjectAltName: subjectAltName(for: hosts + loopbackNames))
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw .drainingQueue("X509_sign") }
        return TLSIdentity(
            certificatePEM: try pem { PEM_write_bio_X509($0, certificate) },
            privateKeyPEM: try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) })
    }

    /// RFC 5280 §4.1.2.2: positive, unique per issuer, at most 20 octets; 16 random ones.
    private static func setRandomSerial(_ certificate: OpaquePointer) throws(TLSError) {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw .drainingQueue("RAND_bytes") }
        bytes[0] &= 0x7f
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw .drainingQueue("BN_bin2bn") }
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil else {
            throw .drainingQueue("BN_to_ASN1_INTEGER")
        }
    }

    /// A leaf that is its own trust anchor: not a CA, for server authentication, with key
    /// identifiers (strict verifiers such as Python 3.13's want the authority one) and the names
    /// (RFC 6125 §6.4: clients match the subjectAltName, not the CN). No keyUsage: one without
    /// keyCertSign would stop OpenSSL from seeing the certificate as self-issued.
    private static func addExtensions(_ certificate: OpaquePointer, subjectAltName: String) throws(TLSError) {
        var context = X509V3_CTX()
        pcmock_X509V3_set_ctx_nodb(&context)
        X509V3_set_ctx(&context, certificate, certificate, nil, nil, 0)
        let extensions = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_alt_name, subjectAltName),
        ]
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
                throw .drainingQueue("X509V3_EXT_nconf_nid(\(value))")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(certificate, ext, -1) == 1 else { throw .drainingQueue("X509_add_ext") }
        }
    }

    /// `DNS:` for names, `IP:` for address literals; wildcard addresses (`0.0.0.0`, `::`) name
    /// no host a client could reach, and text that is not a host name is left out rather than
    /// spliced into OpenSSL's extension syntax.
    static func subjectAltName(for hosts: [String]) -> String {
        var seen = Set<String>()
        var entries: [String] = []
        for host in hosts {
            let unbracketed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            let entry: String
            if let address = normalizedAddress(unbracketed) {
                guard address != "0.0.0.0" && address != "::" else { continue }
                entry = "IP:" + address
            } else if isHostName(unbracketed) {
                entry = "DNS:" + unbracketed.lowercased()
            } else {
                continue
            }
            if seen.insert(entry).inserted { entries.append(entry) }
        }
        return entries.joined(separator: ",")
    }

    private static func normalizedAddress(_ text: String) -> String? {
        for family in [AF_INET, AF_INET6] {
            var raw = in6_addr()
            guard inet_pton(family, text, &raw) == 1 else { continue }
            var output = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(family, &raw, &output, socklen_t(output.count)) != nil else { return nil }
            return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }

    /// RFC 1123 §2.1 labels: letters, digits, hyphens, dots between them.
    private static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 253
            && text.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2d || byte == 0x2e
            }
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws(TLSError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .drainingQueue("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw .drainingQueue("PEM_write_bio") }
        var data: UnsafeMutablePointer<CChar>?
        let length = pcmock_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { throw .drainingQueue("BIO_get_mem_data") }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
