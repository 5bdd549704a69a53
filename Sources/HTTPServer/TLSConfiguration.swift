/// Serve https: what `HTTPServerConfiguration.tls` holds. Building one parses the identity and
/// sets up the OpenSSL context, so a bad certificate or key fails here, before anything listens.
public struct TLSConfiguration: Sendable {
    public let identity: TLSIdentity
    /// A connection whose handshake is not complete this long after it was accepted is closed.
    public var handshakeTimeout: Duration
    let context: TLSContext

    public init(identity: TLSIdentity, handshakeTimeout: Duration = .seconds(10)) throws(TLSError) {
        self.identity = identity
        self.handshakeTimeout = handshakeTimeout
        self.context = try TLSContext(identity: identity)
    }
}
