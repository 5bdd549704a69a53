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
        var segs: [String] = []
        // Split on bytes: `/`, `&` and `=` are ASCII, and a Character split walks grapheme
        // boundaries (it showed in request-path profiles).
        for raw in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let seg = PercentDecoding.decode(Substring(raw), plusIsSpace: false) else { return nil }
            segs.append(seg)
        }
        var items: [(name: String, value: String)] = []
        if let query {
            for bytes in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
                let pair = Substring(bytes)
                let name: Substring, value: Substring
                if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                    name = pair[..<eq]
                    value = pair[pair.utf8.index(after: eq)...]
                } else {
                    name = pair
                    value = ""
                }
                guard let n = PercentDecoding.decode(name, plusIsSpace: true),
                    let v = PercentDecoding.decode(value, plusIsSpace: true)
                else { return nil }
                items.append((n, v))
            }
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
        let utf8 = s.utf8
        if !utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && utf8.contains(UInt8(ascii: "+"))) {
            return String(s)
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
        return String(validating: bytes, as: UTF8.self)
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
