import Synchronization

/// The catalog's operations by namespace and operationId, built on first lookup: start-up only
/// routes by path, and hashing every operationId was a tenth of loading the catalog. A lookup
/// after the first pays one atomic load.
final class OperationIndex: Sendable {
    private final class Table: Sendable {
        /// namespace -> operationId -> position in the operations.
        let positions: [String: [String: Int]]

        init(_ positions: [String: [String: Int]]) {
            self.positions = positions
        }
    }

    private let operations: [Operation]
    private let table = AtomicLazyReference<Table>()

    init(operations: [Operation]) {
        self.operations = operations
    }

    func position(namespace: String, operationId: String) -> Int? {
        positions[namespace]?[operationId]
    }

    private var positions: [String: [String: Int]] {
        if let built = table.load() { return built.positions }
        // Two threads may both build it; the tables are the same and one is kept.
        return table.storeIfNil(Table(Self.build(operations))).positions
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
