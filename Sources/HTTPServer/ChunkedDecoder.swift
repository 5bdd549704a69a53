/// Incremental decoder of the chunked transfer coding (RFC 9112 §7.1): chunk sizes with
/// extensions, chunk data, the last chunk and the trailer section.
struct ChunkedDecoder {
    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
    }

    /// A chunk-size line with its extensions longer than this is refused; extensions carry no
    /// meaning for us and must not become a way around the header limits.
    static let maxSizeLineBytes = 4096

    private var state = State.size
    private var trailerBytes = 0

    /// Decodes what the buffer holds, appending chunk data to `body` and trailer fields to
    /// `trailers`. Returns true once the whole chunked body including trailers has been read.
    mutating func decode(
        _ buffer: UnsafeBufferPointer<UInt8>, cursor: inout ByteCursor, limits: HTTPParserLimits,
        body: inout [UInt8], trailers: inout [(name: String, value: String)]
    ) throws(HTTPParseError) -> Bool {
        while true {
            switch state {
            case .size:
                let malformed = HTTPParseError.badRequest("chunk size line too long")
                guard
                    let line = try cursor.takeLine(
                        in: buffer, partialLimit: Self.maxSizeLineBytes + 1, overflow: malformed)
                else { return false }
                if line.content.count > Self.maxSizeLineBytes { throw malformed }
                let size = try chunkSize(buffer, line.content)
                // Decide on the running total before reading the data (RFC 9112 §7.1 gives no
                // limit; ours is the configured body limit).
                if size > limits.maxBodyBytes - body.count { throw .bodyTooLarge }
                state = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                let taken = cursor.take(upTo: remaining, in: buffer)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[taken]))
                if taken.count < remaining {
                    state = .data(remaining: remaining - taken.count)
                    return false
                }
                state = .dataEnd
            case .dataEnd:
                let malformed = HTTPParseError.badRequest("missing CRLF after chunk data")
                guard let line = try cursor.takeLine(in: buffer, partialLimit: 1, overflow: malformed) else {
                    return false
                }
                guard line.content.isEmpty else { throw malformed }
                state = .size
            case .trailers:
                let budget = limits.maxHeaderBytes - trailerBytes
                guard
                    let line = try cursor.takeLine(
                        in: buffer, partialLimit: budget, overflow: .headersTooLarge)
                else { return false }
                trailerBytes += line.consumed
                if trailerBytes > limits.maxHeaderBytes { throw .headersTooLarge }
                if line.content.isEmpty {
                    self = ChunkedDecoder()
                    return true
                }
                trailers.append(try HTTPFieldParser.fieldLine(buffer, line.content))
                if trailers.count > limits.maxHeaderCount { throw .tooManyHeaders }
            }
        }
    }

    /// chunk-size = 1*HEXDIG, then chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ).
    private func chunkSize(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(HTTPParseError) -> Int {
        var index = range.lowerBound
        var size = 0
        while index < range.upperBound, let digit = HTTPSyntax.hexValue(buffer[index]) {
            // A size that does not fit is larger than any body limit.
            if size > (Int.max - digit) / 16 { throw .bodyTooLarge }
            size = size * 16 + digit
            index += 1
        }
        guard index > range.lowerBound else { throw .badRequest("malformed chunk size") }
        while index < range.upperBound && HTTPSyntax.isWhitespace(buffer[index]) { index += 1 }
        guard index == range.upperBound || buffer[index] == UInt8(ascii: ";") else {
            throw .badRequest("malformed chunk extension")
        }
        for byte in buffer[index..<range.upperBound] where byte < 0x20 && byte != HTTPSyntax.tab {
            throw .badRequest("malformed chunk extension")
        }
        return size
    }
}
