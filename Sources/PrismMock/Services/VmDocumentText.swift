/// One top-level member of a stored document, found by scanning its text instead of parsing all
/// of it: a device read needs a VM's `disks`, not its whole document (parsing the document was
/// most of the cost of a device GET). Stored documents are compact JSON written by `JSON.text`.
enum VmDocumentText {
    /// The raw JSON text of member `name` of the object `document`, nil when it has none or the
    /// text is not an object.
    static func member(_ name: String, in document: String) -> String? {
        let key = Array(name.utf8)
        var document = document
        return document.withUTF8 { bytes -> String? in
            guard let members = members(bytes) else { return nil }
            for m in members where m.key.count == key.count && bytes[m.key].elementsEqual(key) {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[m.value]), as: UTF8.self)
            }
            return nil
        }
    }

    /// The object `document` without its member `name` (as it is when it has none).
    static func removing(_ name: String, from document: String) -> String {
        let key = Array(name.utf8)
        var copy = document
        return copy.withUTF8 { bytes -> String in
            guard let members = members(bytes),
                let i = members.firstIndex(where: { $0.key.count == key.count && bytes[$0.key].elementsEqual(key) })
            else { return document }
            // From the member's opening quote to the next member's (or to the closing brace,
            // taking the comma before it instead).
            let from = members[i].key.lowerBound - 1
            let cut: Range<Int>
            if i + 1 < members.count {
                cut = from..<(members[i + 1].key.lowerBound - 1)
            } else if i > 0 {
                cut = members[i - 1].value.upperBound..<members[i].value.upperBound
            } else {
                cut = from..<members[i].value.upperBound
            }
            var out = [UInt8](bytes[..<cut.lowerBound])
            out += bytes[cut.upperBound...]
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The raw text of each element of the array `text`; nil when it is not an array.
    static func elements(of text: String) -> [String]? {
        var text = text
        return text.withUTF8 { b -> [String]? in
            var i = skipSpace(b, 0)
            guard i < b.count, b[i] == UInt8(ascii: "[") else { return nil }
            var out: [String] = []
            i = skipSpace(b, i + 1)
            if i < b.count, b[i] == UInt8(ascii: "]") { return out }
            while true {
                guard let end = valueEnd(b, i) else { return nil }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[i..<end]), as: UTF8.self))
                i = skipSpace(b, end)
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "]") { return out }
                guard b[i] == UInt8(ascii: ",") else { return nil }
                i = skipSpace(b, i + 1)
            }
        }
    }

    /// Key ranges (inside the quotes) and value ranges of the top-level members of an object.
    private static func members(_ bytes: UnsafeBufferPointer<UInt8>) -> [(key: Range<Int>, value: Range<Int>)]? {
        var out: [(key: Range<Int>, value: Range<Int>)] = []
        var i = skipSpace(bytes, 0)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i = skipSpace(bytes, i + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { return out }
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let keyEnd = stringEnd(bytes, i) else { return nil }
            let keyStart = i + 1
            i = skipSpace(bytes, keyEnd + 1)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(bytes, i + 1)
            guard let valueEnd = valueEnd(bytes, valueStart) else { return nil }
            out.append((keyStart..<keyEnd, valueStart..<valueEnd))
            i = skipSpace(bytes, valueEnd)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "}") { return out }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipSpace(bytes, i + 1)
        }
    }

    private static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        return i
    }

    /// The index of the quote closing the string that opens at `start`.
    private static func stringEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var i = start + 1
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i
            default: i += 1
            }
        }
        return nil
    }

    /// The index just past the value that starts at `start`.
    private static func valueEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        guard start < b.count else { return nil }
        switch b[start] {
        case UInt8(ascii: "\""):
            return stringEnd(b, start).map { $0 + 1 }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(b, i) else { return nil }
                    i = end
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            var i = start
            while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != UInt8(ascii: "]"),
                skipSpace(b, i) == i
            {
                i += 1
            }
            return i
        }
    }
}
