/// Reads what `IndexWriter` wrote, checking every bound: a truncated or corrupt index is an
/// error, never a crash.
struct IndexReader {
    struct Failure: Error {
        let reason: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private var table: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func index() throws(Failure) -> [CatalogIndex.Entry] {
        let magic = CatalogIndex.magic
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
            throw Failure(reason: "not a pcmock catalog index of this version")
        }
        position = magic.count
        let stringCount = try count()
        table.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let length = try count()
            guard length <= bytes.count - position else { throw Failure(reason: "string past the end") }
            table.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self))
            position += length
        }
        var entries: [CatalogIndex.Entry] = []
        for _ in 0..<(try count()) { entries.append(try entry()) }
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

    private mutating func string() throws(Failure) -> String {
        let index = try int()
        guard index >= 0, index < table.count else { throw Failure(reason: "bad string reference") }
        return table[index]
    }

    private mutating func optionalString() throws(Failure) -> String? {
        let index = try int()
        guard index != 0 else { return nil }
        guard index > 0, index <= table.count else { throw Failure(reason: "bad string reference") }
        return table[index - 1]
    }

    private mutating func strings() throws(Failure) -> [String] {
        let n = try count()
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
        let sdkMethod = try string()
        let summary = try optionalString()
        let apiClass = try string()
        let method = try string()
        let path = try string()
        let template = try self.template()
        let parameterCount = try count()
        var parameters: [Parameter] = []
        parameters.reserveCapacity(parameterCount)
        for _ in 0..<parameterCount {
            let name = try string()
            guard let location = Parameter.Location(rawValue: try string()) else {
                throw Failure(reason: "bad parameter location")
            }
            parameters.append(Parameter(name: name, location: location, required: try bool(), type: try type()))
        }
        let requestBody = try bool() ? try type() : nil
        return Operation(
            namespace: namespace, operationId: operationId, sdkMethod: sdkMethod, summary: summary, apiClass: apiClass,
            method: method, path: path, template: template, parameters: parameters,
            requestBody: requestBody, requestBodyRequired: try bool(), requestContentTypes: try strings(),
            responseModel: try optionalString(), responseDataTypes: try strings(), returnsTask: try bool(),
            listItemModel: try optionalString(), filterable: try optionalStrings(), sortable: try optionalStrings(),
            expandable: try optionalStrings(), selectable: try optionalStrings(), fieldListSource: try optionalString())
    }

    private mutating func template() throws(Failure) -> PathTemplate {
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
            for _ in 0..<n {
                members.append(OneOfMember(discriminator: try string(), type: try type(depth: depth + 1)))
            }
            return .oneOf(members)
        default: throw Failure(reason: "bad type tag")
        }
    }
}
