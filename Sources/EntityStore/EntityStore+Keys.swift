/// One stored entity named without its document: what the contract report lists.
public struct EntityKey: Sendable, Hashable {
    public var namespace: String
    public var kind: String
    public var extId: String
    public var parentExtId: String?
    /// The document's top-level `name`, when it has one.
    public var name: String?
}

extension EntityStore {
    /// Every entity's key in (namespace, kind, extId) order, at most `limit` of them; the
    /// documents are not read except for their `name`.
    public func entityKeys(limit: Int) throws -> [EntityKey] {
        try read { view in
            try view.database.withStatement(
                "SELECT namespace, kind, extId, parentExtId, json_extract(document, '$.name') FROM entities "
                    + "ORDER BY namespace, kind, extId LIMIT ?"
            ) { statement in
                try statement.bind(Int64(limit), at: 1)
                var keys: [EntityKey] = []
                while try statement.step() {
                    keys.append(
                        EntityKey(
                            namespace: statement.text(0), kind: statement.text(1), extId: statement.text(2),
                            parentExtId: statement.optionalText(3), name: statement.optionalText(4)))
                }
                return keys
            }
        }
    }
}
