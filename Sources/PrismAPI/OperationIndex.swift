import Synchronization

/// The catalog's operations by namespace and operationId, built on first lookup: start-up only
/// routes by path, and hashing every operationId was a tenth of loading the catalog.
final class OperationIndex: Sendable {
    private let operations: [Operation]
    /// namespace -> operationId -> position in the operations, once built.
    private let table = Mutex<[String: [String: Int]]?>(nil)

    init(operations: [Operation]) {
        self.operations = operations
    }

    func position(namespace: String, operationId: String) -> Int? {
        positions[namespace]?[operationId]
    }

    private var positions: [String: [String: Int]] {
        table.withLock { table in
            if let table { return table }
            let built = Self.build(operations)
            table = built
            return built
        }
    }

    /// A later operation with the same namespace and operationId wins (CatalogTests rule
    /// duplicates out).
    private static func build(_ operations: [Operation]) -> [String: [String: Int]] {
        var positions: [String: [String: Int]] = [:]
        for (position, operation) in operations.enumerated() {
            positions[operation.namespace, default: [:]][operation.operationId] = position
        }
        return positions
    }
}
