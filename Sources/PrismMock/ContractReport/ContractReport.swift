import FoundationEssentials
import HTTPServer
import PrismAPI
import Synchronization

/// What the client did, kept in memory for `GET /_pcmock/contract-report` (issue 9 point 5):
/// which operations it called and with what answers, which contract rules it broke, which
/// entities it used. Recorded in every mode on every routed request, so an update is one short
/// lock on counters, never a store write. `POST /_pcmock/reset` leaves it alone (a suite that
/// resets between tests still gets one report for the run); `DELETE /_pcmock/contract-report`
/// clears it.
final class ContractReport: Sendable {
    struct OperationKey: Hashable, Sendable {
        var namespace: String
        var operationId: String
    }

    struct OperationUse: Sendable {
        var count = 0
        /// (status, count) in the order first seen; a handful per operation.
        var statuses: [(status: Int, count: Int)] = []

        mutating func add(_ status: Int) {
            count += 1
            if let i = statuses.firstIndex(where: { $0.status == status }) {
                statuses[i].count += 1
            } else {
                statuses.append((status, 1))
            }
        }
    }

    struct ViolationKey: Hashable, Sendable {
        var rule: ContractRule
        var operation: OperationKey
    }

    struct ViolationGroup: Sendable {
        var count = 0
        /// The first few requests that broke the rule (their `NTNX-Request-Id`, `-` when none).
        var requestIds: [String] = []
        /// The first occurrence: `GET /api/…?…` and the message strict mode answers with.
        var exampleRequest: String
        var exampleMessage: String
        var arguments: [(String, String)]
    }

    /// An entity as the store names it: kind is the operation role's collection key.
    struct EntityRef: Hashable, Sendable {
        var namespace: String
        var kind: String
        var extId: String
    }

    struct State: Sendable {
        var since: Date
        var requests = 0
        /// Uses by the operation's position in the catalog (what the router reports): indexing
        /// an array where a dictionary hashed two strings per request.
        var operationSlots: [(key: OperationKey, use: OperationUse)?] = []
        var operations: [OperationKey: OperationUse] {
            var all: [OperationKey: OperationUse] = [:]
            for case let slot? in operationSlots { all[slot.key] = slot.use }
            return all
        }
        var violations: [ViolationKey: ViolationGroup] = [:]
        /// Violation groups in the order first seen.
        var violationOrder: [ViolationKey] = []
        var violationCount = 0
        /// Violations of groups past `maxGroups`, counted but not kept.
        var droppedViolations = 0
        /// Entities a successful request named in its path.
        var used: Set<EntityRef> = []
        /// The last entity and parent put in `used` (once `hasLast…`): a client polling one
        /// entity names the same one request after request, and comparing is cheaper than
        /// hashing three strings. Not optionals: comparing those copied both sides.
        var lastItem = EntityRef(namespace: "", kind: "", extId: "")
        var lastParent = EntityRef(namespace: "", kind: "", extId: "")
        var hasLastItem = false
        var hasLastParent = false
    }

    static let maxGroups = 1_000
    static let maxRequestIds = 5
    static let maxUsed = 1_000_000
    static let maxExample = 400

    private let state: Mutex<State>
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
        state = Mutex(State(since: clock()))
    }

    var snapshot: State { state.withLock { $0 } }

    func clear() {
        let now = clock()
        state.withLock { $0 = State(since: now) }
    }

    /// One answered request to a catalog operation (`key`, at `position` in the catalog's
    /// operations); `used` are the entities a successful one named in its path (the entity and
    /// its parent).
    func exercised(_ key: OperationKey, position: Int, status: Int, used item: EntityRef?, _ parent: EntityRef?) {
        state.withLock { s in
            s.requests += 1
            if position >= s.operationSlots.count {
                s.operationSlots.append(contentsOf: repeatElement(nil, count: position + 1 - s.operationSlots.count))
            }
            if s.operationSlots[position] == nil { s.operationSlots[position] = (key, OperationUse()) }
            s.operationSlots[position]?.use.add(status)
            guard s.used.count < ContractReport.maxUsed else { return }
            if let item, !s.hasLastItem || item != s.lastItem {
                s.used.insert(item)
                s.lastItem = item
                s.hasLastItem = true
            }
            if let parent, !s.hasLastParent || parent != s.lastParent {
                s.used.insert(parent)
                s.lastParent = parent
                s.hasLastParent = true
            }
        }
    }

    func record(_ violation: ContractViolation, operation: PrismAPI.Operation, request: HTTPRequest, requestId: String?)
    {
        let key = ViolationKey(
            rule: violation.rule,
            operation: OperationKey(namespace: operation.namespace, operationId: operation.operationId))
        let id = requestId ?? "-"
        state.withLock { s in
            s.violationCount += 1
            if s.violations[key] != nil {
                s.violations[key]?.count += 1
                if let n = s.violations[key]?.requestIds.count, n < ContractReport.maxRequestIds {
                    s.violations[key]?.requestIds.append(id)
                }
                return
            }
            guard s.violations.count < ContractReport.maxGroups else {
                s.droppedViolations += 1
                return
            }
            var example = request.method + " " + request.target
            if example.utf8.count > ContractReport.maxExample {
                example = String(example.prefix(ContractReport.maxExample)) + "…"
            }
            s.violations[key] = ViolationGroup(
                count: 1, requestIds: [id], exampleRequest: example,
                exampleMessage: violation.rule.rawValue + ": " + violation.message, arguments: violation.arguments)
            s.violationOrder.append(key)
        }
    }
}
