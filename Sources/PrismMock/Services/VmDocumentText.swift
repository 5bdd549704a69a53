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
            var i = skipSpace(bytes, 0)
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            while true {
                i = skipSpace(bytes, i)
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
                let keyStart = i + 1
                guard let keyEnd = stringEnd(bytes, i) else { return nil }
                i = skipSpace(bytes, keyEnd + 1)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                let valueStart = skipSpace(bytes, i + 1)
                guard let valueEnd = valueEnd(bytes, valueStart) else { return nil }
                if keyEnd - keyStart == key.count, bytes[keyStart..<keyEnd].elementsEqual(key) {
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
                }
                i = skipSpace(bytes, valueEnd)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
                i += 1
            }
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
