import FoundationEssentials

/// One row of `entities`.
public struct StoredEntity: Sendable, Hashable {
    public var namespace: String
    public var kind: String
    public var extId: String
    /// The owning entity for sub-resources (a VM's disks and NICs).
    public var parentExtId: String?
    /// Starts at 1 and grows by one per replace; the application derives the ETag from it.
    public var revision: Int64
    public var createdAt: Date
    public var updatedAt: Date
    public var owner: String?
    /// JSON text exactly as the application stored it.
    public var document: String

    public init(
        namespace: String, kind: String, extId: String, parentExtId: String? = nil, revision: Int64,
        createdAt: Date, updatedAt: Date, owner: String? = nil, document: String
    ) {
        self.namespace = namespace
        self.kind = kind
        self.extId = extId
        self.parentExtId = parentExtId
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.owner = owner
        self.document = document
    }
}

/// What `insert` needs; the store adds revision 1 and the times.
public struct NewEntity: Sendable, Hashable {
    public var namespace: String
    public var kind: String
    public var extId: String
    public var parentExtId: String?
    public var owner: String?
    public var document: String

    public init(
        namespace: String, kind: String, extId: String, parentExtId: String? = nil, owner: String? = nil,
        document: String
    ) {
        self.namespace = namespace
        self.kind = kind
        self.extId = extId
        self.parentExtId = parentExtId
        self.owner = owner
        self.document = document
    }
}

/// The result of a compare-and-set `replace` or `delete`: never an overwrite of a newer revision.
public enum WriteOutcome: Sendable, Hashable {
    /// Done. For `replace` the new revision; for `delete` the revision that was deleted.
    case ok(Int64)
    /// Nothing changed: the stored revision is this one, not the expected one.
    case stale(Int64)
    case notFound
}

/// One page of a list, and how many rows match the filter in all.
public struct EntityPage: Sendable, Hashable {
    public var entities: [StoredEntity]
    public var totalCount: Int

    public init(entities: [StoredEntity], totalCount: Int) {
        self.entities = entities
        self.totalCount = totalCount
    }
}

/// Times are stored as integer microseconds since 1970 (exact, sortable, cheap to compare in SQL).
enum StoreTime {
    static func micros(_ date: Date) -> Int64 {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        // Int64(_:) traps outside its range (and on NaN); a date that far out is clamped, not a crash.
        guard micros.isFinite else { return micros.isNaN ? 0 : (micros < 0 ? .min : .max) }
        return micros >= 9.2e18 ? .max : (micros <= -9.2e18 ? .min : Int64(micros))
    }

    static func date(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
