import FoundationEssentials
import HTTPServer
import PrismAPI
import Testing

@testable import PrismMock

/// Issue 5 point 7: every catalog operation, called once with a minimal valid request, answers
/// with an outcome its role allows and a body the SDKs decode (checked by `ResponseValidator`).
struct ContractSweepTests {
    /// Operations answering 501 today (unsupported roles: file transfers, actions that return no
    /// task, batches). Lower it when one gets implemented; it must never grow.
    static let notImplementedBaseline = 38

    /// Known contract bugs, each still failing (the test says so once one is fixed, so the entry
    /// goes): a nested route whose parent collection is spelled differently from the top-level
    /// one (`/operations/clusters/{clusterExtId}/hosts`, `/stats/clusters/…`) looks its parent up
    /// in the unaliased kind and answers 404 for a fixture host.
    static let knownBroken: Set<String> = [
        "clustermgmt.enterHostMaintenance", "clustermgmt.exitHostMaintenance", "clustermgmt.getHostStats",
    ]

    static func makeApp() throws -> PrismMockApp {
        try TestApp.make { $0.taskMode = .immediate }
    }

    /// The engine's own 501s: what `GenericEngine` and `TaskService` refuse by design.
    static func mayBeNotImplemented(_ op: PrismAPI.Operation, _ role: OperationRole) -> Bool {
        switch role.kind {
        case .unsupported: return true
        case .action: return !op.returnsTask || (op.namespace == "prism" && op.operationId == "submitBatch")
        default: return false
        }
    }

    struct Outcome {
        var operation: String
        var status: Int
        var problems: [String]
    }

    @Test func everyOperationAnswersWithinItsContract() throws {
        let app = try Self.makeApp()
        let store = app.store
        let sweep = SweepRequests(contract: app.contract, fixtures: app.fixtures.entities) { ns, kind, extId in
            (try? store.get(namespace: ns, kind: kind, extId: extId)).flatMap { $0 }
                .map { ETag.make(extId: $0.extId, revision: $0.revision) }
        }
        let validator = ResponseValidator(catalog: app.contract.catalog)
        let connection = ConnectionInfo(remoteAddress: "127.0.0.1", remotePort: 50000, localPort: 9440)
        var failures: [Outcome] = []
        var stillBroken: Set<String> = []
        var notImplemented: [String] = []
        var statusCounts: [Int: Int] = [:]
        for op in app.contract.catalog.operations {
            let role = app.contract.role(of: op)
            let plan = sweep.plan(op)
            let response = app.handle(plan.request, connection)
            if op.method != "GET" { try app.reset() }
            let name = "\(op.namespace).\(op.operationId) \(op.method) \(plan.request.target)"
            statusCounts[response.status, default: 0] += 1
            var problems = validator.validate(status: response.status, body: response.body, for: op)
                .map { "\($0.attributePath): \($0.message)" }
            let group = (try? JSON.parse(response.body))?["data"]?["error"]?.arrayValue?.first?["errorGroup"]?
                .stringValue
            switch response.status {
            case 200...299:
                break
            case 404 where group == "RESOURCE_NOT_FOUND":
                problems.insert("unrouted: the catalog has this path", at: 0)
            case 404 where plan.usesUnknownIds || role.kind == .singletonGet:
                break
            case 501 where Self.mayBeNotImplemented(op, role):
                notImplemented.append("\(op.namespace).\(op.operationId)")
            default:
                problems.insert("status \(response.status) is not an allowed outcome for \(role.kind)", at: 0)
            }
            let key = "\(op.namespace).\(op.operationId)"
            if Self.knownBroken.contains(key) {
                if !problems.isEmpty { stillBroken.insert(key) }
            } else if !problems.isEmpty {
                failures.append(Outcome(operation: name, status: response.status, problems: problems))
            }
        }
        #expect(app.contract.catalog.operations.count == 963)
        let report = failures.prefix(40).map {
            "\($0.operation) → \($0.status): \($0.problems.joined(separator: "; "))"
        }
        #expect(failures.isEmpty, "\(failures.count) operations broke the contract:\n\(report.joined(separator: "\n"))")
        #expect(
            stillBroken == Self.knownBroken,
            "fixed, remove from knownBroken: \(Self.knownBroken.subtracting(stillBroken))")
        #expect(
            notImplemented.count <= Self.notImplementedBaseline,
            "\(notImplemented.count) operations answer 501:\n\(notImplemented.joined(separator: "\n"))")
        print("contract sweep: \(statusCounts.sorted { $0.key < $1.key }), 501 × \(notImplemented.count)")
    }
}
