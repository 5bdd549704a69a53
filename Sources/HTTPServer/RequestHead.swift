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
        // One allocation for a typical request's fields instead of growing 1 → 2 → 4 → 8.
        fields.reserveCapacity(12)
    }

    func values(_ name: String) -> [String] {
        // Through the buffer: iterating the array copies (retains and releases) every field.
        fields.withUnsafeBufferPointer { fields in
            var result: [String] = []
            for i in fields.indices where fields[i].name.equalsIgnoringASCIICase(name) { result.append(fields[i].value) }
            return result
        }
    }

    func count(_ name: String) -> Int {
        fields.withUnsafeBufferPointer { fields in
            var n = 0
            for i in fields.indices where fields[i].name.equalsIgnoringASCIICase(name) { n += 1 }
            return n
        }
    }

    func framing(limits: HTTPParserLimits) throws(HTTPParseError) -> (body: Body, expectsContinue: Bool) {
        // RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host.
        if version == .http1_1 && count("Host") != 1 { throw .badRequest("missing or repeated Host") }
        let body = try bodyFraming(limits: limits)
        return (body, try expectsContinue())
    }

    private func bodyFraming(limits: HTTPParserLimits) throws(HTTPParseError) -> Body {
        let transferEncodings = values("Transfer-Encoding")
        let contentLengths = values("Content-Length")
        if transferEncodings.isEmpty && contentLengths.isEmpty { return .none }
        let transferCodings = HTTPSyntax.listElements(transferEncodings)
        let lengths = HTTPSyntax.listElements(contentLengths)
        if !transferCodings.isEmpty || !transferEncodings.isEmpty {
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
        if !contentLengths.isEmpty && lengths.isEmpty { throw .badRequest("empty Content-Length") }
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
        let expect = values("Expect")
        guard !expect.isEmpty else { return false }
        let expectations = HTTPSyntax.listElements(expect)
        guard !expectations.isEmpty else { return false }
        guard expectations.allSatisfy({ $0.equalsIgnoringASCIICase("100-continue") }) else {
            throw .expectationFailed
        }
        return version == .http1_1
    }
}
