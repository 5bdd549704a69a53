import EntityStore
import OData
import PrismAPI

/// The entity change a task stands for, kept in the task row's `effect` column until the task
/// finishes: applied in the same store write as the transition to SUCCEEDED, never before, so a
/// client sees the change exactly when its task succeeds (DESIGN.md "the change becomes visible
/// when the task succeeds").
struct TaskEffect: Sendable, Equatable {
    enum Change: String, Sendable {
        /// Nothing to write; the task only succeeds (or fails by a fault).
        case none
        /// The entity must still exist (actions on an entity).
        case check
        case insert, replace, delete
        /// `edits` applied to the entity's document as it is at completion.
        case edit
    }

    /// Another entity that must still exist when the task completes (a clone's source VM).
    struct Requirement: Sendable, Equatable {
        var namespace: String
        var kind: String
        var extId: String
    }

    var change: Change
    var namespace = ""
    var kind = ""
    var extId = ""
    var parentExtId: String? = nil
    /// The parent's kind, so an insert under a parent deleted meanwhile fails instead of
    /// leaving an orphan.
    var parentKind: String? = nil
    /// The revision the request was checked against; a different one at completion means a
    /// concurrent change made this one stale.
    var expectedRevision: Int64? = nil
    var document: String? = nil
    var owner: String? = nil
    /// `completionDetails` the task gets when it succeeds (a create's new extId).
    var completionDetails: [(name: String, value: String)] = []
    /// Set by a `failTask` fault rule: the task fails with this message and changes nothing.
    var fault: TaskFault? = nil
    /// For `.edit`: the changes, in order.
    var edits: [DocumentEdit] = []
    var requires: [Requirement] = []

    static func == (lhs: TaskEffect, rhs: TaskEffect) -> Bool {
        lhs.json().text == rhs.json().text
    }

    func json() -> JSON {
        var o = JSONObject([("change", .string(change.rawValue))])
        if change != .none {
            o["namespace"] = .string(namespace)
            o["kind"] = .string(kind)
            o["extId"] = .string(extId)
        }
        if let parentExtId { o["parentExtId"] = .string(parentExtId) }
        if let parentKind { o["parentKind"] = .string(parentKind) }
        if let expectedRevision { o["expectedRevision"] = .int(expectedRevision) }
        if let document { o["document"] = .string(document) }
        if let owner { o["owner"] = .string(owner) }
        if !completionDetails.isEmpty {
            o["completionDetails"] = .array(
                completionDetails.map {
                    .object(JSONObject([("name", .string($0.name)), ("value", .string($0.value))]))
                })
        }
        if let fault { o["fault"] = fault.json() }
        if !edits.isEmpty { o["edits"] = .array(edits.map { $0.json() }) }
        if !requires.isEmpty {
            o["requires"] = .array(
                requires.map {
                    .object(JSONObject([
                        ("namespace", .string($0.namespace)), ("kind", .string($0.kind)), ("extId", .string($0.extId)),
                    ]))
                })
        }
        return .object(o)
    }

    /// nil for text that is not an effect this build wrote.
    init?(json: JSON) {
        guard let raw = json["change"]?.stringValue, let change = Change(rawValue: raw) else { return nil }
        self.change = change
        namespace = json["namespace"]?.stringValue ?? ""
        kind = json["kind"]?.stringValue ?? ""
        extId = json["extId"]?.stringValue ?? ""
        parentExtId = json["parentExtId"]?.stringValue
        parentKind = json["parentKind"]?.stringValue
        if case .int(let r) = json["expectedRevision"] { expectedRevision = r }
        document = json["document"]?.stringValue
        owner = json["owner"]?.stringValue
        for item in json["completionDetails"]?.arrayValue ?? [] {
            if let n = item["name"]?.stringValue, let v = item["value"]?.stringValue {
                completionDetails.append((n, v))
            }
        }
        fault = json["fault"].flatMap(TaskFault.init(json:))
        edits = (json["edits"]?.arrayValue ?? []).compactMap(DocumentEdit.init(json:))
        for r in json["requires"]?.arrayValue ?? [] {
            if let ns = r["namespace"]?.stringValue, let kind = r["kind"]?.stringValue, let id = r["extId"]?.stringValue {
                requires.append(Requirement(namespace: ns, kind: kind, extId: id))
            }
        }
    }

    init(change: Change) {
        self.change = change
    }

    /// Applies the change inside the completing transaction. Returns the reason it cannot be
    /// applied any more (the task then fails and nothing changes), or nil when applied.
    func apply(in tx: StoreTransaction) throws -> TaskMessage? {
        if let fault { return fault.message }
        for r in requires where try tx.get(namespace: r.namespace, kind: r.kind, extId: r.extId) == nil {
            return .error(
                namespace, 404, 4, "ENTITY_NOT_FOUND",
                "\(RelName.forCollection(r.kind)) \(r.extId) was deleted before the task could run", [("extId", r.extId)])
        }
        if let parentExtId, let parentKind, change == .insert,
            try tx.get(namespace: namespace, kind: parentKind, extId: parentExtId) == nil
        {
            return .error(
                namespace, 404, 2, "PARENT_NOT_FOUND",
                "\(RelName.forCollection(parentKind)) \(parentExtId) was deleted before the task could run",
                [("extId", parentExtId)])
        }
        if change == .insert || change == .replace, let missing = try missingCluster(in: tx) {
            return .error(
                namespace, 404, 3, "CLUSTER_NOT_FOUND",
                "cluster \(missing) referenced by \(RelName.forCollection(kind)) \(extId) does not exist",
                [("clusterExtId", missing)])
        }
        switch change {
        case .none:
            return nil
        case .insert:
            if let document, let problem = try EntityReferences.missing(kind: kind, in: document, before: nil, tx: tx) {
                return problem
            }
            do {
                try tx.insert(
                    NewEntity(
                        namespace: namespace, kind: kind, extId: extId, parentExtId: parentExtId, owner: owner,
                        document: document ?? "{}"))
            } catch StoreError.alreadyExists {
                return .error(namespace, 409, 2, "ALREADY_EXISTS", "\(rel) \(extId) already exists", [("extId", extId)])
            }
            return nil
        case .check, .replace, .delete, .edit:
            guard let current = try tx.get(namespace: namespace, kind: kind, extId: extId) else {
                return .error(
                    namespace, 404, 1, "ENTITY_NOT_FOUND",
                    "\(rel) \(extId) was deleted before the task could run", [("extId", extId)])
            }
            if let expectedRevision, current.revision != expectedRevision { return stale(current.revision) }
            let outcome: WriteOutcome
            switch change {
            case .replace:
                if let document,
                    let problem = try EntityReferences.missing(kind: kind, in: document, before: current.document, tx: tx)
                {
                    return problem
                }
                outcome = try tx.replace(
                    namespace: namespace, kind: kind, extId: extId, document: document ?? current.document,
                    expectedRevision: current.revision)
            case .edit:
                guard !edits.isEmpty, var doc = try JSON.parse(current.document).objectValue else { return nil }
                for edit in edits where !edit.apply(to: &doc) {
                    return .error(
                        namespace, 404, 5, "ENTITY_NOT_FOUND",
                        "\(edit.field) entry \(edit.extId) of \(rel) \(extId) was removed before the task could run",
                        [("extId", edit.extId)])
                }
                if doc["updateTime"] != nil { doc["updateTime"] = .string(Timestamp.rfc3339(tx.now)) }
                let text = JSON.object(doc).text
                if let problem = try EntityReferences.missing(kind: kind, in: text, before: current.document, tx: tx) {
                    return problem
                }
                outcome = try tx.replace(
                    namespace: namespace, kind: kind, extId: extId, document: text, expectedRevision: current.revision)
            case .delete:
                outcome = try tx.delete(
                    namespace: namespace, kind: kind, extId: extId, expectedRevision: current.revision, cascade: true)
            default:
                return nil
            }
            guard case .ok = outcome else { return stale(current.revision) }
            return nil
        }
    }

    private var rel: String { RelName.forCollection(kind) }

    private func stale(_ revision: Int64) -> TaskMessage {
        .error(
            namespace, 409, 1, "CONCURRENT_MODIFICATION",
            "\(rel) \(extId) was changed by another operation after this task was submitted "
                + "(revision \(revision), expected \(expectedRevision.map(String.init) ?? "none")); read it again and retry",
            [("extId", extId)])
    }

    /// The `cluster/extId` a document points at (VMs, volume groups' cluster references…), when
    /// no such cluster exists: Prism Central fails the task rather than creating an orphan.
    private func missingCluster(in tx: StoreTransaction) throws -> String? {
        guard let document, let doc = try? JSON.parse(document),
            let cluster = doc.value(atPath: "cluster/extId")?.stringValue
        else { return nil }
        let found = try tx.get(namespace: "clustermgmt", kind: TaskEffect.clusters, extId: cluster)
        return found == nil ? cluster : nil
    }

    static let clusters = "clustermgmt:config/clusters"
}
