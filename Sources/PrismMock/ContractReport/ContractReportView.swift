import EntityStore
import FoundationEssentials
import PrismAPI

/// The report as it is shown: the recorded counters joined with the catalog (what could have
/// been exercised) and the store (which entities exist but were never used).
struct ContractReportView {
    struct ExercisedOperation {
        var operation: PrismAPI.Operation
        var use: ContractReport.OperationUse
        var violations: [(rule: ContractRule, group: ContractReport.ViolationGroup)]
    }

    struct NamespaceUse {
        var namespace: String
        var total: Int
        /// In catalog order.
        var exercised: [ExercisedOperation]
    }

    struct Violation {
        var rule: ContractRule
        var namespace: String
        var operationId: String
        var group: ContractReport.ViolationGroup
    }

    struct UnusedKind {
        var namespace: String
        var kind: String
        var total: Int
        var unused: [EntityKey]
    }

    let mode: String
    let state: ContractReport.State
    let namespaces: [NamespaceUse]
    let violations: [Violation]
    let unused: [UnusedKind]
    let operationsTotal: Int

    /// Entities per kind listed by extId; the counts always cover all of them.
    static let maxUnusedListed = 100
    /// The store is read up to this many entities for the unused list.
    static let maxEntitiesScanned = 1_000_000

    /// `entities` of kinds outside `kinds` (pcmock's own bookkeeping, such as API key hashes)
    /// are not the client's to use and are left out.
    init(state: ContractReport.State, catalog: Catalog, entities: [EntityKey], kinds: Set<String>, strict: Bool) {
        mode = strict ? "strict" : "lenient"
        self.state = state
        operationsTotal = catalog.operations.count
        var byOperation: [ContractReport.OperationKey: [(ContractRule, ContractReport.ViolationGroup)]] = [:]
        var violations: [Violation] = []
        for key in state.violationOrder {
            guard let group = state.violations[key] else { continue }
            byOperation[key.operation, default: []].append((key.rule, group))
            violations.append(
                Violation(
                    rule: key.rule, namespace: key.operation.namespace, operationId: key.operation.operationId,
                    group: group))
        }
        self.violations = violations
        var namespaces: [NamespaceUse] = []
        for name in catalog.namespaces.keys.sorted() {
            let ops = catalog.operations(in: name)
            var exercised: [ExercisedOperation] = []
            for op in ops {
                let key = ContractReport.OperationKey(namespace: name, operationId: op.operationId)
                guard let use = state.operations[key] else { continue }
                exercised.append(
                    ExercisedOperation(
                        operation: op, use: use, violations: (byOperation[key] ?? []).map { (rule: $0.0, group: $0.1) })
                )
            }
            namespaces.append(NamespaceUse(namespace: name, total: ops.count, exercised: exercised))
        }
        self.namespaces = namespaces
        var unused: [UnusedKind] = []
        for entity in entities where kinds.contains(entity.kind) {
            let ref = ContractReport.EntityRef(namespace: entity.namespace, kind: entity.kind, extId: entity.extId)
            if unused.last?.namespace != entity.namespace || unused.last?.kind != entity.kind {
                unused.append(UnusedKind(namespace: entity.namespace, kind: entity.kind, total: 0, unused: []))
            }
            unused[unused.count - 1].total += 1
            if !state.used.contains(ref) { unused[unused.count - 1].unused.append(entity) }
        }
        self.unused = unused.filter { !$0.unused.isEmpty }
    }

    var exercisedCount: Int { namespaces.reduce(0) { $0 + $1.exercised.count } }
    var unusedCount: Int { unused.reduce(0) { $0 + $1.unused.count } }
}
