/// Comparison whose running time does not depend on where two secrets first differ, so a
/// client cannot find a password or key byte by byte from response times. Only the length can
/// show (as with Go's `subtle.ConstantTimeCompare`); hashing both sides first would hide it too,
/// at a cost of microseconds on every request.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in equal(a, b) } }
    }

    /// As above without copying the text into an array first (a malloc per request on the
    /// Basic-auth fast path).
    static func equal(_ a: String, _ b: [UInt8]) -> Bool {
        var a = a
        return a.withUTF8 { a in b.withUnsafeBufferPointer { b in equal(a, b) } }
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func equalSecrets(_ a: String, _ b: String) -> Bool {
        equal(Array(a.utf8), Array(b.utf8))
    }
}

/// Random tokens (salts, API keys, session ids) from the system generator (getrandom(2)).
enum RandomToken {
    static func hex(bytes count: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return Hex.encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &g) })
    }
}
