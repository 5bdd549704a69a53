import EntityStore
import OData
import PrismAPI

/// Finds the task that creates an entity a client asked for too early: a create's extId is in
/// the task's `entitiesAffected` from the start, but the entity exists only once the task
/// succeeded (DESIGN.md). Asked only after a GET by extId answered 404, so it costs nothing on
/// the common path.
struct PendingCreation {
    let store: EntityStore
    let contract: Contract

    struct Found {
        var taskExtId: String
        var status: String
        var operationId: String
    }

    /// Tasks are scanned with the same SQL the task list uses; a few candidates at most.
    private static let candidates =
        "status <> 'SUCCEEDED' AND EXISTS (SELECT 1 FROM json_each(\(StoreSchema.Tasks.document), "
        + "'$.entitiesAffected') AS affected WHERE json_extract(affected.value, '$.extId') = ?)"

    func task(creating extId: String, in namespace: String) throws -> Found? {
        let page = try store.read { view in
            try view.listTasks(whereSQL: PendingCreation.candidates, arguments: [.text(extId)], limit: 8)
        }
        for task in page.tasks {
            guard let doc = try? JSON.parse(task.document), let opId = doc["operation"]?.stringValue,
                isCreate(opId, namespace: namespace)
            else { continue }
            return Found(taskExtId: task.extId, status: task.status, operationId: opId)
        }
        return nil
    }

    private func isCreate(_ operationId: String, namespace: String) -> Bool {
        guard let op = contract.catalog.operation(namespace: namespace, operationId: operationId) else { return false }
        return contract.role(of: op).kind == .create
    }
}
