import ArgumentParser
import COpenSSL
import FoundationEssentials
import HTTPServer

/// The https flags of `pcmock serve` (issue 10): https instead of http, or alongside it.
struct TLSOptions: ParsableArguments {
    @Flag(help: "Serve https on --port instead of http (like Prism Central on 9440).")
    var tls = false

    @Option(help: "Also serve https on this port, alongside http on --port; 0 picks a free port (reported on stderr).")
    var tlsPort: Int?

    @Option(help: "PEM certificate (chain) to present; needs --tls-key. Default: a self-signed one generated at start.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert (unencrypted).")
    var tlsKey: String?

    @Option(help: "Write the certificate served (generated or given) to this file, for clients to trust.")
    var tlsCertOut: String?

    var settings: ServeSettings.TLSSettings {
        ServeSettings.TLSSettings(tls: tls, tlsPort: tlsPort, tlsCert: tlsCert, tlsKey: tlsKey, tlsCertOut: tlsCertOut)
    }
}

extension ServeSettings.TLSSettings {
    /// Loads the given pair or generates a certificate for `host` and the loopback names, and
    /// writes the certificate out when asked. Nil when https is off.
    func makeConfiguration(host: String) throws -> TLSConfiguration? {
        guard isEnabled else { return nil }
        // OpenSSL is loaded on first use (COpenSSL); without it, say so instead of stopping there.
        guard pcmock_openssl_available() != 0 else {
            throw ValidationError("https needs OpenSSL 3 (libssl.so.3), which cannot be loaded.")
        }
        let identity: TLSIdentity
        if let tlsCert, let tlsKey {
            identity = try TLSIdentity(certificateFile: tlsCert, privateKeyFile: tlsKey)
        } else {
            identity = try TLSIdentity.selfSigned(hosts: [host])
        }
        let configuration = try TLSConfiguration(identity: identity)
        if let tlsCertOut {
            do {
                // Atomic: a client polling for the file never reads half a certificate.
                try Data(identity.certificatePEM.utf8).write(to: URL(fileURLWithPath: tlsCertOut), options: .atomic)
            } catch {
                throw ValidationError("--tls-cert-out: cannot write \(tlsCertOut): \(error)")
            }
        }
        return configuration
    }
}
