/// Writes `CatalogIndex` entries: strings go to a table in first-use order (so equal documents
/// give equal bytes), everything else inline.
struct IndexWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var strings: [String] = []
    private var positions: [String: Int] = [:]

    static func varint(_ value: Int, into out: inout [UInt8]) {
        var rest = UInt(bitPattern: value)
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    mutating func int(_ value: Int) {
        Self.varint(value, into: &bytes)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func string(_ value: String) {
        if let position = positions[value] {
            int(position)
            return
        }
        positions[value] = strings.count
        int(strings.count)
        strings.append(value)
    }

    /// 0 for nil, else the table position + 1.
    mutating func optionalString(_ value: String?) {
        guard let value else { return int(0) }
        if let position = positions[value] { return int(position + 1) }
        positions[value] = strings.count
        int(strings.count + 1)
        strings.append(value)
    }

    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    /// 0 for nil, else the count + 1.
    mutating func optionalStrings(_ values: [String]?) {
        guard let values else { return int(0) }
        int(values.count + 1)
        for value in values { string(value) }
    }

    mutating func entry(_ entry: CatalogIndex.Entry) {
        string(entry.file)
        int(entry.size)
        let result = entry.result
        if let schemas = result.schemas {
            int(schemas.lowerBound + 1)
            int(schemas.count)
        } else {
            int(0)
        }
        let ns = result.namespace
        string(ns.name)
        string(ns.apiVersion)
        string(ns.fv)
        string(ns.sdkPackage)
        string(ns.sdkVersion)
        optionalString(ns.minimumServerVersion)
        int(result.operations.count)
        for operation in result.operations { self.operation(operation) }
    }

    /// What start-up reads, then the details (`OperationDetails`) after their length, so that
    /// start-up can step over them.
    private mutating func operation(_ op: Operation) {
        string(op.operationId)
        string(op.method)
        string(op.path)
        int(op.template.segments.count)
        for segment in op.template.segments {
            switch segment {
            case .literal(let text):
                int(0)
                string(text)
            case .parameter(let name):
                int(1)
                string(name)
            case .version:
                int(2)
            }
        }
        if let body = op.requestBody {
            bool(true)
            type(body)
        } else {
            bool(false)
        }
        bool(op.requestBodyRequired)
        strings(op.requestContentTypes)
        strings(op.responseDataTypes)
        bool(op.returnsTask)
        optionalString(op.listItemModel)
        // Written in place, then moved behind their length: strings enter the table in the
        // same order either way.
        let start = bytes.count
        details(op)
        let written = Array(bytes[start...])
        bytes.removeSubrange(start...)
        int(written.count)
        bytes.append(contentsOf: written)
    }

    private mutating func details(_ op: Operation) {
        string(op.sdkMethod)
        optionalString(op.summary)
        string(op.apiClass)
        optionalString(op.responseModel)
        int(op.parameters.count)
        for parameter in op.parameters {
            string(parameter.name)
            switch parameter.location {
            case .path: int(0)
            case .query: int(1)
            case .header: int(2)
            }
            bool(parameter.required)
            type(parameter.type)
        }
        optionalStrings(op.filterable)
        optionalStrings(op.sortable)
        optionalStrings(op.expandable)
        optionalStrings(op.selectable)
        optionalString(op.fieldListSource)
    }

    mutating func type(_ type: SchemaType) {
        switch type {
        case .string(let format):
            int(0)
            optionalString(format)
        case .integer: int(1)
        case .number: int(2)
        case .boolean: int(3)
        case .any: int(4)
        case .array(let element):
            int(5)
            self.type(element)
        case .map(let element):
            int(6)
            self.type(element)
        case .model(let name):
            int(7)
            string(name)
        case .oneOf(let members):
            int(8)
            int(members.count)
            for member in members {
                string(member.discriminator)
                self.type(member.type)
            }
        }
    }
}
