import OData

/// A list answer's body, written in place as the store hands over each document: `{"data":[`, the items
/// with their `$reserved` spliced in, then the envelope (`ListEnvelope`). No `String` per item and no
/// parse of a document that is sent whole; the finished bytes are the response's body as they are.
struct ListBody {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    /// `"$reserved":{…}`, or nil when the documents carry their own.
    private let reserved: [UInt8]?
    /// `$select`'s projection, which does need the document parsed.
    private let project: ((String) throws -> String)?
    private let envelope: ListEnvelope
    private var expected = 0

    static let dataOpen = Array(#"{"data":["#.utf8)

    init(envelope: ListEnvelope, reserved: [UInt8]?, project: ((String) throws -> String)? = nil) {
        self.envelope = envelope
        self.reserved = reserved
        self.project = project
    }

    /// How many documents will come at most; the buffer is sized once from this and the first document.
    mutating func expect(_ documents: Int) { expected = max(0, documents) }

    mutating func append(_ document: UnsafeBufferPointer<UInt8>) throws {
        guard project == nil else { return try append(String(decoding: document, as: UTF8.self)) }
        appendItem(document)
    }

    mutating func append(_ document: String) throws {
        var text = try project?(document) ?? document
        text.withUTF8 { appendItem($0) }
    }

    private mutating func appendItem(_ document: UnsafeBufferPointer<UInt8>) {
        if count == 0 { start(first: document.count) } else { bytes.append(UInt8(ascii: ",")) }
        count += 1
        guard let reserved, let last = document.last, last == UInt8(ascii: "}") else {
            bytes.append(contentsOf: document)
            return
        }
        // `Envelope.withReserved`'s splice: the closing brace moves behind the added member.
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: document.dropLast()))
        if document.count > 2 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: reserved)
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func start(first: Int) {
        let perItem = first + (reserved?.count ?? 0) + 2
        // Documents of a kind are alike in size; an eighth more absorbs the spread without a regrowth.
        let items = min(max(expected, 1), 256)
        bytes.reserveCapacity(ListBody.dataOpen.count + perItem * items + perItem * items / 8 + envelope.maxCount + 2)
        bytes.append(contentsOf: ListBody.dataOpen)
    }

    /// The whole body: the items (if any) and the envelope after them. Mutating, not consuming: a consumed
    /// copy shared the buffer with the caller's variable, and the first append then copied all 66 KB.
    mutating func finish(total: Int) -> [UInt8] {
        if count == 0 {
            bytes.reserveCapacity(1 + envelope.maxCount)
            bytes.append(UInt8(ascii: "{"))
        } else {
            // A no-op unless the documents outgrew the estimate: then one exact growth, not a doubling.
            bytes.reserveCapacity(bytes.count + 2 + envelope.maxCount)
            bytes.append(contentsOf: "],".utf8)
        }
        envelope.append(total: total, to: &bytes)
        defer { bytes = [] }
        return bytes
    }
}
