import Dispatch
import FoundationEssentials
import OData
import Synchronization

/// The v4 contract, loaded once at start-up from openapi/<namespace>.json: namespaces, every
/// operation with its path template, and every model. Immutable and `Sendable`, so one instance
/// is shared by all request handlers without locking.
public struct Catalog: Sendable {
    /// Keyed by namespace name (`vmm`).
    public let namespaces: [String: Namespace]
    /// All operations, ordered by namespace, path and method.
    public let operations: [Operation]
    /// Request method and path segments -> operation, for the router.
    public let routes: RouteTable
    /// namespace -> model name -> model. The same model name can appear in several documents
    /// (each SDK ships its own copy of `common.v1.*` and `prism.v4.config.TaskReference`).
    private let modelsByNamespace: [String: [String: Model]]
    private let operationIndex: [OperationKey: Int]

    private struct OperationKey: Hashable {
        let namespace: String
        let operationId: String
    }

    /// Loads every `*.json` file of `directory`. Files are parsed in parallel (start-up time is
    /// mostly JSON parsing, and the files are independent); the first failing file in name order
    /// is the error reported, so failures are deterministic.
    public static func load(from directory: URL) throws(CatalogError) -> Catalog {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }
                .sorted()
                .map { directory.appendingPathComponent($0) }
        } catch {
            throw .unreadable(file: directory.path, reason: "\(error)")
        }
        guard !files.isEmpty else { throw .empty(directory: directory.path) }
        let results = Mutex<[Int: Result<DocumentReader.Result, CatalogError>]>([:])
        DispatchQueue.concurrentPerform(iterations: files.count) { position in
            let result = Result { () throws(CatalogError) in try document(at: files[position]) }
            results.withLock { $0[position] = result }
        }
        let collected = results.withLock { $0 }
        var documents: [DocumentReader.Result] = []
        for position in files.indices {
            switch collected[position] {
            case .success(let document)?: documents.append(document)
            case .failure(let error)?: throw error
            case nil: throw .unreadable(file: files[position].lastPathComponent, reason: "not loaded")
            }
        }
        return try Catalog(documents: documents)
    }

    static func document(at file: URL) throws(CatalogError) -> DocumentReader.Result {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: file))
        } catch {
            throw .unreadable(file: file.lastPathComponent, reason: "\(error)")
        }
        return try document(bytes, file: file.lastPathComponent)
    }

    static func document(_ bytes: [UInt8], file: String) throws(CatalogError) -> DocumentReader.Result {
        try DocumentReader.read(bytes, file: file)
    }

    init(documents: [DocumentReader.Result]) throws(CatalogError) {
        var namespaces: [String: Namespace] = [:]
        var models: [String: [String: Model]] = [:]
        var operations: [Operation] = []
        for document in documents.sorted(by: { $0.namespace.name < $1.namespace.name }) {
            let name = document.namespace.name
            guard namespaces[name] == nil else { throw .duplicateNamespace(name) }
            namespaces[name] = document.namespace
            models[name] = document.models
            operations.append(contentsOf: document.operations)
        }
        var index: [OperationKey: Int] = [:]
        for (position, operation) in operations.enumerated() {
            index[OperationKey(namespace: operation.namespace, operationId: operation.operationId)] = position
        }
        self.namespaces = namespaces
        self.operations = operations
        self.routes = RouteTable(operations: operations)
        self.modelsByNamespace = models
        self.operationIndex = index
    }

    public func operation(namespace: String, operationId: String) -> Operation? {
        operationIndex[OperationKey(namespace: namespace, operationId: operationId)].map { operations[$0] }
    }

    public func operations(in namespace: String) -> [Operation] {
        operations.filter { $0.namespace == namespace }
    }

    /// The model as the document of `namespace` defines it (what that namespace's SDK decodes).
    public func model(named name: String, in namespace: String) -> Model? {
        modelsByNamespace[namespace]?[name]
    }

    /// The model from the document of the namespace that owns it (`vmm.v4.…` → vmm), else from
    /// the first document, by name, that has it.
    public func model(named name: String) -> Model? {
        if let owner = name.split(separator: ".", maxSplits: 1).first,
            let model = modelsByNamespace[String(owner)]?[name]
        {
            return model
        }
        for namespace in modelsByNamespace.keys.sorted() {
            if let model = modelsByNamespace[namespace]?[name] { return model }
        }
        return nil
    }

    /// Model names defined by the document of `namespace`, sorted.
    public func modelNames(in namespace: String) -> [String] {
        (modelsByNamespace[namespace] ?? [:]).keys.sorted()
    }
}
