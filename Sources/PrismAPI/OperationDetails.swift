/// The part of an `Operation` that start-up does not read: SDK names, summary, response model,
/// parameters and the OData field lists. Immutable.
final class OperationDetails: Sendable {
    /// Where an operation's details are: decoded already (read from JSON), or at an offset of
    /// the catalog index, decoded on first use.
    enum Source: Sendable {
        case ready(OperationDetails)
        case index(IndexDetailStore, offset: Int)
    }

    let sdkMethod: String
    let summary: String?
    let apiClass: String
    let responseModel: String?
    let parameters: [Parameter]
    let filterable: [String]?
    let sortable: [String]?
    let expandable: [String]?
    let selectable: [String]?
    let fieldListSource: String?

    init(
        sdkMethod: String, summary: String?, apiClass: String, responseModel: String?, parameters: [Parameter],
        filterable: [String]?,
        sortable: [String]?, expandable: [String]?, selectable: [String]?, fieldListSource: String?
    ) {
        self.sdkMethod = sdkMethod
        self.summary = summary
        self.apiClass = apiClass
        self.responseModel = responseModel
        self.parameters = parameters
        self.filterable = filterable
        self.sortable = sortable
        self.expandable = expandable
        self.selectable = selectable
        self.fieldListSource = fieldListSource
    }
}

/// The catalog index's bytes, kept for the operations' details (`IndexReader.details()`).
final class IndexDetailStore: Sendable {
    private let bytes: [UInt8]
    private let strings: [IndexReader.StringSpan]

    init(bytes: [UInt8], strings: [IndexReader.StringSpan]) {
        self.bytes = bytes
        self.strings = strings
    }

    func details(at offset: Int) -> OperationDetails {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = IndexReader(bytes: buffer, strings: strings, at: offset)
            do {
                return try reader.details()
            } catch {
                // Loading the index checked every operation's details (`IndexReader.checkDetails`)
                // and these bytes are a copy nothing changes: an operation without its parameters
                // or field lists would answer wrongly, so this stops instead.
                preconditionFailure("catalog index: the details at byte \(offset) no longer decode: \(error)")
            }
        }
    }
}
