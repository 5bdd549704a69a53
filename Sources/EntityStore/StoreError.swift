/// Store failures that are not plain SQLite errors.
public enum StoreError: Error, Sendable, Equatable {
    /// `insert` of an entity whose (namespace, kind, extId) is already stored.
    case alreadyExists(namespace: String, kind: String, extId: String)
    /// The file was written by a newer pcmock.
    case unsupportedSchemaVersion(found: Int, supported: Int)
    /// A list fragment's placeholders and the supplied arguments disagree.
    case argumentCountMismatch(expected: Int, given: Int)
    case invalidJSONPath(String)
    /// A kind declares more scalar `ValuePath`s than `entity_hot` has slots.
    case tooManyScalarPaths(kind: String, limit: Int)
    case invalidLimit(Int)
    case snapshotNotFound(String)
    /// `write` called from inside `write`: the writer queue is serial, so this would deadlock.
    case nestedWrite
    /// The store is being torn down.
    case closed
}
