import Glibc

/// A read position over the parser's buffer that finds lines without rescanning bytes it has
/// already searched, so a client dripping a long line one byte at a time costs O(n), not O(n²).
struct ByteCursor {
    var position = 0
    /// Bytes after `position` already known to hold no LF.
    private var searched = 0

    /// Bytes between the cursor and the end of `buffer`.
    func available(in buffer: UnsafeBufferPointer<UInt8>) -> Int { buffer.count - position }

    /// Takes one line (RFC 9112 §2.2: CRLF, or a bare LF, which a recipient MAY accept) and
    /// returns its content without the terminator. Returns nil if no LF has arrived yet; throws
    /// `overflow` if the unterminated part is already longer than `partialLimit`.
    mutating func takeLine(
        in buffer: UnsafeBufferPointer<UInt8>, partialLimit: Int, overflow: HTTPParseError
    ) throws(HTTPParseError) -> (content: Range<Int>, consumed: Int)? {
        let available = buffer.count - position
        guard let base = buffer.baseAddress, available > searched else {
            if available > partialLimit { throw overflow }
            return nil
        }
        let from = position + searched
        guard let hit = memchr(base + from, Int32(HTTPSyntax.lf), buffer.count - from) else {
            searched = available
            if available > partialLimit { throw overflow }
            return nil
        }
        let lfIndex = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        var end = lfIndex
        if end > position && buffer[end - 1] == HTTPSyntax.cr { end -= 1 }
        let start = position
        let consumed = lfIndex + 1 - position
        position = lfIndex + 1
        searched = 0
        return (start..<end, consumed)
    }

    /// Takes up to `count` bytes.
    mutating func take(upTo count: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let end = position + min(count, buffer.count - position)
        defer {
            position = end
            searched = 0
        }
        return position..<end
    }

    /// Called when the buffer drops its consumed prefix.
    mutating func rebase(by offset: Int) {
        position -= offset
    }
}
