/// `copyCompact`'s fast path: one loop over the bytes with a local index, copying every token as written and
/// dropping the whitespace between them. The recursive walk (a call, a closure and a bounds check per token,
/// strings checked byte by byte) was nearly all of the fixture-reading thread's start-up.
///
/// It takes only text the walk would take, and writes the same bytes: strict JSON whose strings hold no
/// escape (the walk checks escapes more closely: surrogates, code points). Anything else — an escape, a
/// malformed token, deep nesting — leaves `out` and the position as they were, and the walk reads the value
/// (and reports its error) as before.
extension JSONReader {
    func copyPlain(into out: inout [UInt8]) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let end = bytes.count
        let mark = out.count
        var i = index
        var objects: UInt64 = 0  // a bit per open container: 1 for an object
        var depth = 0
        let room = min(64, Self.maxDepth - self.depth)

        func space() {
            while i < end, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
        }
        func string() -> Bool {
            let start = i
            i += 1
            let ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= end {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
                let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
                // A zero byte in `x` shows as its high bit in `(x - ones) & ~x`, a byte below 0x20 in
                // `(word - 0x20…) & ~word`: exact as to whether a word holds any.
                let found =
                    ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                if found & 0x8080_8080_8080_8080 != 0 {
                    // The lowest flag is exact (a borrow only flags bytes after a true one), and the load
                    // is little-endian: it marks the first such byte.
                    #if _endian(little)
                        i += (found & 0x8080_8080_8080_8080).trailingZeroBitCount >> 3
                    #endif
                    break
                }
                i += 8
            }
            while i < end {
                let byte = base[i]
                if byte == UInt8(ascii: "\"") {
                    i += 1
                    out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
                    return true
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return false }
                i += 1
            }
            return false
        }
        func digits() -> Bool {
            let start = i
            while i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") { i += 1 }
            return i > start
        }
        func number() -> Bool {
            let start = i
            if base[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else { return false }
            if base[i] == UInt8(ascii: "0") {
                i += 1
                if i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") { return false }
            } else {
                _ = digits()
            }
            if i < end, base[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() else { return false }
            }
            if i < end, base[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < end, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() else { return false }
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start))
            return true
        }
        func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count <= end else { return false }
            for offset in 0..<count where base[i + offset] != word.utf8Start[offset] { return false }
            out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: count))
            i += count
            return true
        }
        func key() -> Bool {
            space()
            guard i < end, base[i] == UInt8(ascii: "\""), string() else { return false }
            space()
            guard i < end, base[i] == UInt8(ascii: ":") else { return false }
            out.append(UInt8(ascii: ":"))
            i += 1
            return true
        }
        func value() -> Bool {
            space()
            guard i < end else { return false }
            switch base[i] {
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return false
            }
        }

        walk: while true {
            space()
            guard i < end else { break walk }
            let opening = base[i]
            if opening == UInt8(ascii: "{") || opening == UInt8(ascii: "[") {
                let object = opening == UInt8(ascii: "{")
                depth += 1
                guard depth <= room else { break walk }
                objects = objects << 1 | (object ? 1 : 0)
                out.append(opening)
                i += 1
                space()
                guard i < end else { break walk }
                if base[i] != (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    if object { guard key() else { break walk } }
                    continue walk
                }
                // An empty container: closed below like any other.
            } else {
                guard value() else { break walk }
            }
            // After a value: close containers until one continues with a comma.
            while true {
                if depth == 0 {
                    index = i
                    return true
                }
                space()
                guard i < end else { break walk }
                let byte = base[i]
                let object = objects & 1 == 1
                if byte == UInt8(ascii: ",") {
                    out.append(byte)
                    i += 1
                    if object { guard key() else { break walk } }
                    continue walk
                }
                guard byte == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { break walk }
                out.append(byte)
                i += 1
                depth -= 1
                objects >>= 1
            }
        }
        out.removeSubrange(mark...)
        return false
    }
}
