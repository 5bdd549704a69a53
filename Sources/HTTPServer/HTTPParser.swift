/// Incremental HTTP/1.1 request parser (RFC 9112). Pure: bytes go in through `append`, complete
/// requests (or a typed error) come out of `next()`. Splitting the input differently never
/// changes the requests or the error produced; only the `continueNeeded` event depends on
/// what has arrived so far.
public struct HTTPParser {
    public enum Event {
        case request(HTTPRequest)
        /// The request's head asked for `100-continue` and none of its body has arrived yet.
        case continueNeeded
    }

    private enum State {
        case requestLine
        case headers
        case fixedBody(remaining: Int)
        case chunkedBody
        case failed(HTTPParseError)
    }

    public let limits: HTTPParserLimits
    private var buffer: [UInt8] = []
    private var cursor = ByteCursor()
    private var state = State.requestLine
    private var head = RequestHead()
    private var body: [UInt8] = []
    private var trailers: [(name: String, value: String)] = []
    private var chunked = ChunkedDecoder()

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// True while part of a request (or anything at all) is buffered.
    public var hasPartialRequest: Bool {
        if case .requestLine = state { return cursor.position < buffer.count }
        return true
    }

    /// True once a head is complete and its body is still arriving.
    public var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkedBody: true
        default: false
        }
    }

    /// The next event, or nil when more bytes are needed. After an error every call rethrows it.
    public mutating func next() throws(HTTPParseError) -> Event? {
        if case .failed(let error) = state { throw error }
        let bytes = buffer  // a reference to the same storage; parsing never mutates it
        do {
            return try bytes.withUnsafeBufferPointer { (pointer) throws(HTTPParseError) -> Event? in
                try step(pointer)
            }
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step(_ buffer: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .requestLine:
                let max = limits.maxRequestLineBytes
                // One extra byte for a CR still waiting for its LF.
                guard
                    let line = try cursor.takeLine(
                        in: buffer, partialLimit: max + 1, overflow: .requestLineTooLong)
                else { return nil }
                if line.content.count > max { throw .requestLineTooLong }
                // RFC 9112 §2.2: empty lines before the request line are ignored.
                if line.content.isEmpty { continue }
                let parsed = try HTTPFieldParser.requestLine(buffer, line.content)
                head = RequestHead(method: parsed.method, target: parsed.target, version: parsed.version)
                state = .headers
            case .headers:
                let budget = limits.maxHeaderBytes - head.headerBytes
                guard
                    let line = try cursor.takeLine(
                        in: buffer, partialLimit: budget, overflow: .headersTooLarge)
                else { return nil }
                head.headerBytes += line.consumed
                if head.headerBytes > limits.maxHeaderBytes { throw .headersTooLarge }
                if !line.content.isEmpty {
                    head.fields.append(try HTTPFieldParser.fieldLine(buffer, line.content))
                    if head.fields.count > limits.maxHeaderCount { throw .tooManyHeaders }
                    continue
                }
                let framing = try head.framing(limits: limits)
                switch framing.body {
                case .none:
                    return .request(finish())
                case .length(let length):
                    // Reserve what a body usually is, not what the client claims: an announced
                    // 16 MiB that never arrives must not cost 16 MiB per connection.
                    body.reserveCapacity(min(length, 64 * 1024))
                    state = .fixedBody(remaining: length)
                case .chunked:
                    state = .chunkedBody
                }
                if framing.expectsContinue && cursor.available(in: buffer) == 0 { return .continueNeeded }
            case .fixedBody(let remaining):
                let taken = cursor.take(upTo: remaining, in: buffer)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[taken]))
                if taken.count < remaining {
                    state = .fixedBody(remaining: remaining - taken.count)
                    return nil
                }
                return .request(finish())
            case .chunkedBody:
                guard try chunked.decode(buffer, cursor: &cursor, limits: limits, body: &body, trailers: &trailers)
                else { return nil }
                return .request(finish())
            case .failed(let error):
                throw error
            }
        }
    }

    private mutating func finish() -> HTTPRequest {
        let request = HTTPRequest(
            method: head.method, target: head.target, version: head.version,
            headers: HTTPHeaders(head.fields), body: body, trailers: HTTPHeaders(trailers))
        body = []
        trailers = []
        head = RequestHead()
        state = .requestLine
        return request
    }

    /// Drops consumed bytes before new ones are appended, so the buffer stays as small as the
    /// unparsed input and a large body does not keep its memory after the request.
    private mutating func compact() {
        let consumed = cursor.position
        guard consumed > 0 else { return }
        if consumed == buffer.count {
            if buffer.capacity > 64 * 1024 { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
        } else {
            buffer.removeSubrange(0..<consumed)
        }
        cursor.rebase(by: consumed)
    }
}
