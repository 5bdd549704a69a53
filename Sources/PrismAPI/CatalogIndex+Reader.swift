/// Reads what `IndexWriter` wrote, checking every bound: a truncated or corrupt index is an
/// error, never a crash.
///
/// Strings are made on first reference and shared from then on; an operation's details
/// (`OperationDetails`) are only checked at start-up, and decoded from a kept copy of the
/// bytes when something first asks for them.
struct IndexReader {
    struct Failure: Error {
        let reason: String
    }

    /// Where a string of the table is: its UTF-8 bytes, without the length before them.
    struct StringSpan: Sendable {
        let start: UInt32
        let count: UInt32
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private var spans: [StringSpan] = []
    /// Strings made so far: `madeAt[position]` is the string's place in `made`, or -1. Empty when
    /// decoding one operation's details. Two arrays rather than `[String?]`: freeing ~7,000
    /// optionals one by one cost more than the lookups.
    private var madeAt: [Int32] = []
    private var made: [String] = []
    /// One-string lists made so far, the same way: most content-type and data-type lists are
    /// one of a few.
    private var singletonAt: [Int32] = []
    private var singletons: [[String]] = []
    /// The last template read and its bytes: operations on one path follow each other.
    private var lastTemplate: (range: Range<Int>, template: PathTemplate)?
    private var store: IndexDetailStore?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// A reader for the details at `offset` of an index read before.
    init(bytes: UnsafeBufferPointer<UInt8>, strings: [StringSpan], at offset: Int) {
        self.bytes = bytes
        spans = strings
        position = offset
    }

    mutating func index() throws(Failure) -> [CatalogIndex.Entry] {
        let magic = CatalogIndex.magic
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
            throw Failure(reason: "not a pcmock catalog index of this version")
        }
        guard bytes.count <= Int(UInt32.max) else { throw Failure(reason: "too large") }
        position = magic.count
        let stringCount = try count()
        spans.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let length = try count()
            guard length <= bytes.count - position else { throw Failure(reason: "string past the end") }
            spans.append(StringSpan(start: UInt32(position), count: UInt32(length)))
            position += length
        }
        madeAt = Array(repeating: -1, count: stringCount)
        made.reserveCapacity(stringCount)
        singletonAt = Array(repeating: -1, count: stringCount)
        store = IndexDetailStore(bytes: Array(bytes), strings: spans)
        let entryCount = try count()
        var entries: [CatalogIndex.Entry] = []
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount { entries.append(try entry()) }
        guard position == bytes.count else { throw Failure(reason: "trailing bytes") }
        return entries
    }

    /// Most integers (string references, counts, tags) are one byte: that case stays inline.
    @inline(__always)
    private mutating func int() throws(Failure) -> Int {
        if position < bytes.count, bytes[position] < 0x80 {
            defer { position += 1 }
            return Int(bytes[position])
        }
        return try longInt()
    }

    private mutating func longInt() throws(Failure) -> Int {
        var value: UInt = 0
        var shift: UInt = 0
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            guard shift < 63 else { break }
            value |= UInt(byte & 0x7F) << shift
            if byte < 0x80 { return Int(bitPattern: value) }
            shift += 7
        }
        throw Failure(reason: "bad integer")
    }

    /// A non-negative integer no larger than the index itself: a count that cannot be right is
    /// an error before anything is allocated for it.
    private mutating func count() throws(Failure) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count else { throw Failure(reason: "bad count") }
        return value
    }

    private mutating func bool() throws(Failure) -> Bool {
        guard position < bytes.count, bytes[position] <= 1 else { throw Failure(reason: "bad flag") }
        defer { position += 1 }
        return bytes[position] == 1
    }

    /// The table position of a string reference.
    private mutating func reference() throws(Failure) -> Int {
        let index = try int()
        guard index >= 0, index < spans.count else { throw Failure(reason: "bad string reference") }
        return index
    }

    /// The table position of an optional string reference (0 for nil, else position + 1).
    private mutating func optionalReference() throws(Failure) -> Int? {
        let index = try int()
        guard index != 0 else { return nil }
        guard index > 0, index <= spans.count else { throw Failure(reason: "bad string reference") }
        return index - 1
    }

    private mutating func text(_ index: Int) -> String {
        let memoized = !madeAt.isEmpty
        if memoized, madeAt[index] >= 0 { return made[Int(madeAt[index])] }
        let span = spans[index]
        let start = Int(span.start)
        let string = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + Int(span.count)]), as: UTF8.self)
        if memoized {
            madeAt[index] = Int32(made.count)
            made.append(string)
        }
        return string
    }

    private mutating func string() throws(Failure) -> String {
        text(try reference())
    }

    private mutating func optionalString() throws(Failure) -> String? {
        try optionalReference().map { text($0) }
    }

    private mutating func strings() throws(Failure) -> [String] {
        let n = try count()
        if n == 1, !singletonAt.isEmpty {
            let index = try reference()
            if singletonAt[index] >= 0 { return singletons[Int(singletonAt[index])] }
            let list = [text(index)]
            singletonAt[index] = Int32(singletons.count)
            singletons.append(list)
            return list
        }
        var values: [String] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try string()) }
        return values
    }

    private mutating func optionalStrings() throws(Failure) -> [String]? {
        let n = try count()
        guard n != 0 else { return nil }
        var values: [String] = []
        values.reserveCapacity(n - 1)
        for _ in 0..<(n - 1) { values.append(try string()) }
        return values
    }

    private mutating func entry() throws(Failure) -> CatalogIndex.Entry {
        let file = try string()
        let size = try int()
        let schemasStart = try int()
        var schemas: Range<Int>?
        if schemasStart != 0 {
            let length = try int()
            guard schemasStart > 0, length >= 0, schemasStart - 1 <= size - length else {
                throw Failure(reason: "bad schemas range")
            }
            schemas = (schemasStart - 1)..<(schemasStart - 1 + length)
        }
        let namespace = Namespace(
            name: try string(), apiVersion: try string(), fv: try string(), sdkPackage: try string(),
            sdkVersion: try string(), minimumServerVersion: try optionalString())
        let n = try count()
        var operations: [Operation] = []
        operations.reserveCapacity(n)
        for _ in 0..<n { operations.append(try operation(in: namespace.name)) }
        return CatalogIndex.Entry(
            file: file, size: size, result: DocumentReader.Result(namespace: namespace, operations: operations, schemas: schemas))
    }

    private mutating func operation(in namespace: String) throws(Failure) -> Operation {
        let operationId = try string()
        let method = try string()
        let path = try string()
        let template = try self.template()
        let requestBody = try bool() ? try type() : nil
        let requestBodyRequired = try bool()
        let requestContentTypes = try strings()
        let responseDataTypes = try strings()
        let returnsTask = try bool()
        let listItemModel = try optionalString()
        let details = try checkDetails()
        guard let store else { throw Failure(reason: "no string table") }
        return Operation(
            namespace: namespace, operationId: operationId, method: method, path: path, template: template,
            requestBody: requestBody, requestBodyRequired: requestBodyRequired, requestContentTypes: requestContentTypes,
            responseDataTypes: responseDataTypes, returnsTask: returnsTask,
            listItemModel: listItemModel, details: .index(store, offset: details))
    }

    /// Walks an operation's details (its length, then what `details()` reads) without making
    /// anything, so that decoding them later cannot fail; returns where they start.
    private mutating func checkDetails() throws(Failure) -> Int {
        let length = try count()
        guard length <= bytes.count - position else { throw Failure(reason: "operation details past the end") }
        let start = position
        _ = try reference()
        _ = try optionalReference()
        _ = try reference()
        _ = try optionalReference()
        for _ in 0..<(try count()) {
            _ = try reference()
            _ = try location()
            _ = try bool()
            try checkType()
        }
        for _ in 0..<4 {
            let n = try count()
            for _ in 0..<max(0, n - 1) { _ = try reference() }
        }
        _ = try optionalReference()
        guard position == start + length else { throw Failure(reason: "bad operation details length") }
        return start
    }

    /// What `checkDetails` checked, decoded (after the length).
    mutating func details() throws(Failure) -> OperationDetails {
        let sdkMethod = try string()
        let summary = try optionalString()
        let apiClass = try string()
        let responseModel = try optionalString()
        let parameterCount = try count()
        var parameters: [Parameter] = []
        parameters.reserveCapacity(parameterCount)
        for _ in 0..<parameterCount {
            parameters.append(
                Parameter(name: try string(), location: try location(), required: try bool(), type: try type()))
        }
        return OperationDetails(
            sdkMethod: sdkMethod, summary: summary, apiClass: apiClass, responseModel: responseModel,
            parameters: parameters,
            filterable: try optionalStrings(), sortable: try optionalStrings(), expandable: try optionalStrings(),
            selectable: try optionalStrings(), fieldListSource: try optionalString())
    }

    private mutating func location() throws(Failure) -> Parameter.Location {
        switch try int() {
        case 0: return .path
        case 1: return .query
        case 2: return .header
        default: throw Failure(reason: "bad parameter location")
        }
    }

    private mutating func template() throws(Failure) -> PathTemplate {
        // The same bytes read the same way: the previous template again, without a new array.
        if let last = lastTemplate, last.range.count <= bytes.count - position,
            bytes[last.range].elementsEqual(bytes[position..<position + last.range.count])
        {
            position += last.range.count
            return last.template
        }
        let start = position
        let template = try newTemplate()
        lastTemplate = (start..<position, template)
        return template
    }

    private mutating func newTemplate() throws(Failure) -> PathTemplate {
        let n = try count()
        var segments: [PathTemplate.Segment] = []
        segments.reserveCapacity(n)
        for _ in 0..<n {
            switch try int() {
            case 0: segments.append(.literal(try string()))
            case 1: segments.append(.parameter(try string()))
            case 2: segments.append(.version)
            default: throw Failure(reason: "bad path segment")
            }
        }
        return PathTemplate(segments: segments)
    }

    private mutating func type(depth: Int = 0) throws(Failure) -> SchemaType {
        guard depth < 64 else { throw Failure(reason: "types nested too deeply") }
        switch try int() {
        case 0: return .string(format: try optionalString())
        case 1: return .integer
        case 2: return .number
        case 3: return .boolean
        case 4: return .any
        case 5: return .array(try type(depth: depth + 1))
        case 6: return .map(try type(depth: depth + 1))
        case 7: return .model(try string())
        case 8:
            let n = try count()
            var members: [OneOfMember] = []
            members.reserveCapacity(n)
            for _ in 0..<n {
                members.append(OneOfMember(discriminator: try string(), type: try type(depth: depth + 1)))
            }
            return .oneOf(members)
        default: throw Failure(reason: "bad type tag")
        }
    }

    /// `type()` without making the type.
    private mutating func checkType(depth: Int = 0) throws(Failure) {
        guard depth < 64 else { throw Failure(reason: "types nested too deeply") }
        switch try int() {
        case 0: _ = try optionalReference()
        case 1, 2, 3, 4: break
        case 5, 6: try checkType(depth: depth + 1)
        case 7: _ = try reference()
        case 8:
            for _ in 0..<(try count()) {
                _ = try reference()
                try checkType(depth: depth + 1)
            }
        default: throw Failure(reason: "bad type tag")
        }
    }
}
