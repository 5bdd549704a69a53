/// A request line plus header fields, before the body: where the message-body framing
/// decisions of RFC 9112 §6 are made.
struct RequestHead {
    enum Body: Equatable {
        case none
        case length(Int)
        case chunked
    }

    var method = ""
    var target = ""
    var version = HTTPVersion.http1_1
    var fields: [(name: String, value: String)] = []
    var headerBytes = 0

    init() {}

    init(method: String, target: String, version: HTTPVersion) {
        self.method = method
        self.target = target
        self.version = version
    }

    func values(_ name: String) -> [String] {
        var result: [String] = []
        for field in fields where field.name.equalsIgnoringASCIICase(name) { result.append(field.value) }
        return result
    }

    func framing(limits: HTTPParserLimits) throws(HTTPParseError) -> (body: Body, expectsContinue: Bool) {
        // RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host.
        if version == .http1_1 && values("Host").count != 1 { throw .badRequest("missing or repeated Host") }
        let body = try bodyFraming(limits: limits)
        return (body, try expectsContinue())
    }

    private func bodyFraming(limits: HTTPParserLimits) throws(HTTPParseError) -> Body {
        let transferCodings = HTTPSyntax.listElements(values("Transfer-Encoding"))
        let lengths = HTTPSyntax.listElements(values("Content-Length"))
        if !transferCodings.isEmpty || values("Transfer-Encoding").count > 0 {
            // RFC 9112 §6.1: both framings at once is how requests get smuggled.
            if !lengths.isEmpty { throw .badRequest("both Content-Length and Transfer-Encoding") }
            if version == .http1_0 { throw .badRequest("Transfer-Encoding in HTTP/1.0") }
            if transferCodings.contains(where: { !$0.equalsIgnoringASCIICase("chunked") }) {
                throw .unsupportedTransferCoding
            }
            // RFC 9112 §6.3: chunked must be the final coding, and applied once.
            guard transferCodings.count == 1 else { throw .badRequest("invalid Transfer-Encoding") }
            return .chunked
        }
        if values("Content-Length").count > 0 && lengths.isEmpty { throw .badRequest("empty Content-Length") }
        guard let first = lengths.first else { return .none }
        // RFC 9112 §6.3: repeated values must all be the same valid number.
        guard lengths.allSatisfy({ $0 == first }), first.utf8.allSatisfy(HTTPSyntax.isDigit) else {
            throw .badRequest("invalid Content-Length")
        }
        guard let length = Int(first), length <= limits.maxBodyBytes else { throw .bodyTooLarge }
        return length == 0 ? .none : .length(length)
    }

    /// RFC 9110 §10.1.1: only `100-continue` is defined; an HTTP/1.0 client's is ignored.
    private func expectsContinue() throws(HTTPParseError) -> Bool {
        let expectations = HTTPSyntax.listElements(values("Expect"))
        guard !expectations.isEmpty else { return false }
        guard expectations.allSatisfy({ $0.equalsIgnoringASCIICase("100-continue") }) else {
            throw .expectationFailed
        }
        return version == .http1_1
    }
}
