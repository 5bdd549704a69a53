import Dispatch
import FoundationEssentials
import Glibc
import OData
import Synchronization

/// The v4 contract, loaded once at start-up from openapi/<namespace>.json: namespaces, every
/// operation with its path template, and every model. `Sendable`, so one instance is shared by
/// all request handlers; operations and routes are immutable, and each namespace's models are
/// decoded once, on first use (`ModelShelf`), which only start-up time and memory can tell.
public struct Catalog: Sendable {
    /// Keyed by namespace name (`vmm`).
    public let namespaces: [String: Namespace]
    /// All operations, ordered by namespace, path and method.
    public let operations: [Operation]
    /// Request method and path segments -> operation, for the router.
    public let routes: RouteTable
    /// namespace -> its document's models. The same model name can appear in several documents
    /// (each SDK ships its own copy of `common.v1.*` and `prism.v4.config.TaskReference`).
    private let shelves: [String: ModelShelf]
    /// Namespace names sorted, for lookups that try every document in a fixed order.
    private let namespaceOrder: [String]
    private let operationIndex: OperationIndex

    /// One document read: its operations, and where its models are for `ModelShelf`.
    struct Document: Sendable {
        let result: DocumentReader.Result
        let models: ModelShelf
    }

    /// Loads every `*.json` file of `directory`. A document that `catalog.index` records with its
    /// current size is taken from the index; the others are parsed, in parallel (parsing is
    /// most of the cost, and the files are independent). The first failing file in name order is
    /// the error reported, so failures are deterministic. Models are decoded on first use;
    /// `loadAllModels()` decodes (and checks) them all at once.
    public static func load(from directory: URL) throws(CatalogError) -> Catalog {
        // File names and path strings rather than a URL per document: each URL built was ~15,000
        // instructions; the JSON path and the models make theirs when they need one.
        let names = try documentNames(in: directory)
        let index = try CatalogIndex.load(from: directory) ?? [:]
        let directoryPath = directory.path
        var documents = [Document?](repeating: nil, count: names.count)
        var unindexed: [Int] = []
        for (position, name) in names.enumerated() {
            if let entry = index[name], entry.size == fileSize(directoryPath + "/" + name) {
                let source: ModelShelf.Source = entry.result.schemas.map { .file(directory, name, $0) } ?? .none
                documents[position] = Document(result: entry.result, models: ModelShelf(source: source, fileName: entry.file))
            } else {
                unindexed.append(position)
            }
        }
        if !unindexed.isEmpty {
            let parsed = Mutex<[Int: Result<Document, CatalogError>]>([:])
            let pending = unindexed
            DispatchQueue.concurrentPerform(iterations: pending.count) { slot in
                let position = pending[slot]
                let result = Result { () throws(CatalogError) in try document(named: names[position], in: directory) }
                parsed.withLock { $0[position] = result }
            }
            let collected = parsed.withLock { $0 }
            for position in unindexed {
                switch collected[position] {
                case .success(let document)?: documents[position] = document
                case .failure(let error)?: throw error
                case nil: throw .unreadable(file: names[position], reason: "not loaded")
                }
            }
        }
        return try Catalog(documents: documents.compactMap { $0 })
    }

    /// The `*.json` documents of `directory`, sorted by name.
    static func documentFiles(in directory: URL) throws(CatalogError) -> [URL] {
        try documentNames(in: directory).map { directory.appendingPathComponent($0) }
    }

    /// The names of the `*.json` documents of `directory`, sorted.
    static func documentNames(in directory: URL) throws(CatalogError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }
                .sorted()
        } catch {
            throw .unreadable(file: directory.path, reason: "\(error)")
        }
        guard !names.isEmpty else { throw .empty(directory: directory.path) }
        return names
    }

    /// The file's size, or -1 when it cannot be read (no index entry matches it then).
    private static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    static func document(named name: String, in directory: URL) throws(CatalogError) -> Document {
        let result = try MappedFile.withBytes(of: directory.appendingPathComponent(name)) { bytes throws(CatalogError) in
            try DocumentReader.read(bytes, file: name)
        }
        // Nothing of the file stays in memory: the models are read from it again on first use.
        let source: ModelShelf.Source = result.schemas.map { .file(directory, name, $0) } ?? .none
        return Document(result: result, models: ModelShelf(source: source, fileName: name))
    }

    /// A document from memory (tests); it keeps its bytes for its models.
    static func document(_ bytes: [UInt8], file: String) throws(CatalogError) -> Document {
        let result = try bytes.withUnsafeBufferPointer { buffer throws(CatalogError) in
            try DocumentReader.read(buffer, file: file)
        }
        let source: ModelShelf.Source = result.schemas.map { .bytes(bytes, $0) } ?? .none
        return Document(result: result, models: ModelShelf(source: source, fileName: file))
    }

    init(documents: [Document]) throws(CatalogError) {
        var namespaces: [String: Namespace] = [:]
        var shelves: [String: ModelShelf] = [:]
        var operations: [Operation] = []
        operations.reserveCapacity(documents.reduce(0) { $0 + $1.result.operations.count })
        for document in documents.sorted(by: { $0.result.namespace.name < $1.result.namespace.name }) {
            let name = document.result.namespace.name
            guard namespaces[name] == nil else { throw .duplicateNamespace(name) }
            namespaces[name] = document.result.namespace
            shelves[name] = document.models
            operations.append(contentsOf: document.result.operations)
        }
        self.namespaces = namespaces
        self.operations = operations
        self.routes = RouteTable(operations: operations)
        self.shelves = shelves
        self.namespaceOrder = shelves.keys.sorted()
        self.operationIndex = OperationIndex(operations: operations)
    }

    /// Decodes every namespace's models now (in parallel) and reports the first document, in
    /// namespace order, whose models do not decode. `--self-check` and the tests call it; the
    /// server otherwise decodes a namespace's models when a request first needs them.
    public func loadAllModels() throws(CatalogError) {
        let order = namespaceOrder
        DispatchQueue.concurrentPerform(iterations: order.count) { position in
            _ = shelves[order[position]]?.result
        }
        for namespace in order {
            if case .failure(let error)? = shelves[namespace]?.result { throw error }
        }
    }

    /// The operation's position in `operations` (what `RouteTable.matchIndexed` reports).
    public func position(namespace: String, operationId: String) -> Int? {
        operationIndex.position(namespace: namespace, operationId: operationId)
    }

    public func operation(namespace: String, operationId: String) -> Operation? {
        operationIndex.position(namespace: namespace, operationId: operationId).map { operations[$0] }
    }

    public func operations(in namespace: String) -> [Operation] {
        operations.filter { $0.namespace == namespace }
    }

    /// The model as the document of `namespace` defines it (what that namespace's SDK decodes).
    public func model(named name: String, in namespace: String) -> Model? {
        shelves[namespace]?.models[name]
    }

    /// The model from the document of the namespace that owns it (`vmm.v4.…` → vmm), else from
    /// the first document, by name, that has it.
    public func model(named name: String) -> Model? {
        if let owner = name.split(separator: ".", maxSplits: 1).first,
            let model = shelves[String(owner)]?.models[name]
        {
            return model
        }
        for namespace in namespaceOrder {
            if let model = shelves[namespace]?.models[name] { return model }
        }
        return nil
    }

    /// Model names defined by the document of `namespace`, sorted.
    public func modelNames(in namespace: String) -> [String] {
        (shelves[namespace]?.models ?? [:]).keys.sorted()
    }
}
