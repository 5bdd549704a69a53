/// A request target split the way the v4 SDKs encode it (sdk-contract.md §0 rules 4–5):
/// path segments percent-encoded one at a time (`ZXJnb24%3D%3Auuid`), the query string
/// form-encoded (`%24filter=name+eq+%27x%27`).
struct RequestTarget: Sendable, Equatable {
    /// Decoded path segments, empty segments dropped (`/api//vmm/` is `["api","vmm"]`).
    var segments: [String]
    /// Decoded query items in order; repeated keys kept.
    var query: [(name: String, value: String)]

    static func == (lhs: RequestTarget, rhs: RequestTarget) -> Bool {
        lhs.segments == rhs.segments
            && lhs.query.elementsEqual(rhs.query) { $0.name == $1.name && $0.value == $1.value }
    }

    /// nil when a segment or query item has a malformed escape or is not UTF-8.
    init?(path: Substring, query: Substring?) {
        // One pass over contiguous bytes: splitting a Substring's UTF8View into slices and
        // converting each back went through generic collection code (~14k instructions for a
        // seven-segment GET in callgrind, the largest single cost of routing).
        var path = path
        var segs: [String] = []
        segs.reserveCapacity(8)
        let pathOK = path.withUTF8 { bytes in
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
                if i > start {
                    let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    guard let seg = PercentDecoding.decode(raw, plusIsSpace: false) else { return false }
                    segs.append(seg)
                }
                start = i + 1
            }
            return true
        }
        guard pathOK else { return nil }
        var items: [(name: String, value: String)] = []
        if var query {
            let queryOK = query.withUTF8 { bytes in
                var start = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "&") {
                    if i > start {
                        let pair = UnsafeBufferPointer(rebasing: bytes[start..<i])
                        let eq = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.count
                        let value = UnsafeBufferPointer(rebasing: pair[min(eq + 1, pair.count)...])
                        let name = UnsafeBufferPointer(rebasing: pair[..<eq])
                        guard let n = PercentDecoding.decode(name, plusIsSpace: true),
                            let v = PercentDecoding.decode(value, plusIsSpace: true)
                        else { return false }
                        items.append((n, v))
                    }
                    start = i + 1
                }
                return true
            }
            guard queryOK else { return nil }
        }
        segments = segs
        self.query = items
    }

    /// The first value of a query option.
    func value(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

enum PercentDecoding {
    /// RFC 3986 §2.1 percent-decoding; with `plusIsSpace` also the form-encoding rule that `+`
    /// is a space (WHATWG URL, application/x-www-form-urlencoded). Returns nil on a bad escape
    /// or bytes that are not UTF-8.
    static func decode(_ s: Substring, plusIsSpace: Bool) -> String? {
        var s = s
        return s.withUTF8 { decode($0, plusIsSpace: plusIsSpace) }
    }

    static func decode(_ utf8: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool) -> String? {
        if !utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && utf8.contains(UInt8(ascii: "+"))) {
            // Bytes of a request target that held no escape: validated, not repaired.
            return validated(utf8)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var it = utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case UInt8(ascii: "%"):
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else {
                    return nil
                }
                bytes.append(hv << 4 | lv)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(b)
            }
        }
        return bytes.withUnsafeBufferPointer { validated($0) }
    }

    /// `String(validating:as:)` runs unspecialized (~1.6k instructions with its metadata lookups,
    /// seven times per routed request); ASCII, the common case, is valid UTF-8 as it is.
    private static func validated(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        return String(validating: utf8, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
