import PrismAPI
import Synchronization

/// Each namespace's roles, derived on first use and then published once: start-up derives only
/// the namespaces the fixtures name, and a request pays one atomic load.
final class RoleTable: Sendable {
    private final class Slot: Sendable {
        let range: Range<Int>
        let roles = AtomicLazyReference<NamespaceRoles>()
        init(range: Range<Int>) { self.range = range }
    }

    private let operations: [PrismAPI.Operation]
    /// One per run of operations of one namespace, in the operations' order.
    private let slots: [Slot]
    private let slotByNamespace: [String: Int]

    init(operations: [PrismAPI.Operation]) {
        self.operations = operations
        var slots: [Slot] = []
        var byName: [String: Int] = [:]
        var start = 0
        for index in operations.indices.dropFirst() where operations[index].namespace != operations[start].namespace {
            slots.append(Slot(range: start..<index))
            start = index
        }
        if !operations.isEmpty { slots.append(Slot(range: start..<operations.count)) }
        for (position, slot) in slots.enumerated() where byName[operations[slot.range.lowerBound].namespace] == nil {
            byName[operations[slot.range.lowerBound].namespace] = position
        }
        self.slots = slots
        slotByNamespace = byName
    }

    /// The role of the operation at `position` in the catalog's operations.
    func role(at position: Int) -> OperationRole {
        let slot = slots[slotIndex(of: position)]
        return roles(of: slot).roles[position - slot.range.lowerBound]
    }

    /// The item model of a listed collection of `namespace`.
    func listItemModel(collection: String, namespace: String) -> String? {
        guard let index = slotByNamespace[namespace] else { return nil }
        return roles(of: slots[index]).listItemModels[collection]
    }

    /// Every operation's role in order (tests, reports).
    var all: [OperationRole] { slots.flatMap { roles(of: $0).roles } }

    private func roles(of slot: Slot) -> NamespaceRoles {
        if let done = slot.roles.load() { return done }
        // Two threads may both derive a namespace; the roles are the same and one is kept.
        return slot.roles.storeIfNil(NamespaceRoles(operations[slot.range]))
    }

    private func slotIndex(of position: Int) -> Int {
        var low = 0
        var high = slots.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if slots[mid].range.lowerBound <= position { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
