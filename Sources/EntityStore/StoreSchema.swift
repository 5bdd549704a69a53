/// Table and column names that other modules write SQL fragments against.
///
/// The OData compiler emits fragments such as `json_extract(document, '$.name') = ?` or
/// `EXISTS (SELECT 1 FROM json_each(document, '$.disks') …)`; those fragments are spliced into
/// `SELECT … FROM entities WHERE namespace = ? AND kind = ? AND (<fragment>)`, so the names here are part
/// of the store's public contract.
///
/// Entities are unique on (namespace, kind, extId), as DESIGN.md keys them: `kind` is the catalog's
/// `$objectType` (`vmm.v4.ahv.config.Vm`), and keying on all three means the application may choose any kind
/// naming without two namespaces colliding. Times are integer microseconds since 1970-01-01 UTC.
public enum StoreSchema {
    public enum Entities {
        public static let table = "entities"
        public static let namespace = "namespace"
        public static let kind = "kind"
        public static let extId = "extId"
        public static let parentExtId = "parentExtId"
        public static let revision = "revision"
        public static let createdAt = "createdAt"
        public static let updatedAt = "updatedAt"
        public static let owner = "owner"
        /// The JSON text of the entity, as the application gave it.
        public static let document = "document"
    }

    public enum Tasks {
        public static let table = "tasks"
        public static let extId = "extId"
        public static let status = "status"
        /// When the scheduler must next look at the task; NULL once nothing is pending.
        public static let dueAt = "dueAt"
        public static let effect = "effect"
        /// The prism Task JSON document.
        public static let document = "document"
        public static let createdAt = "createdAt"
        public static let updatedAt = "updatedAt"
    }

    /// Values of declared scalar paths (`ValuePath.scalar`), one row per entity, in slot columns `h0`…`h7`
    /// whose meaning the kind's declaration gives (`EntityStore.hotColumns(kind:)`).
    public enum Hot {
        public static let table = "entity_hot"
        /// The rowid of the entity in `entities` (and of this row).
        public static let entity = "entity"
        public static let slots = 8
    }

    /// Values of declared element paths (`ValuePath.element`), one row per array element, so that lambdas
    /// read them instead of parsing documents. `path` is an id from `value_paths`.
    public enum Values {
        public static let table = "entity_values"
        /// The rowid of the entity in `entities`.
        public static let entity = "entity"
        public static let path = "path"
        /// The element's index in its array.
        public static let ordinal = "ordinal"
        /// As `json_extract` returns it (no type affinity): text, integer, real or NULL.
        public static let value = "value"
    }

    public enum Idempotency {
        public static let table = "idempotency"
    }

    public enum Journal {
        public static let table = "journal"
    }

    /// The schema version this build writes; stored in `PRAGMA user_version`.
    public static var version: Int { migrations.count }

    /// Migration `i` moves `user_version` from `i` to `i + 1`. Append only: never edit a shipped step.
    static let migrations: [String] = [
        """
        CREATE TABLE entities(
            namespace TEXT NOT NULL,
            kind TEXT NOT NULL,
            extId TEXT NOT NULL,
            parentExtId TEXT,
            revision INTEGER NOT NULL,
            createdAt INTEGER NOT NULL,
            updatedAt INTEGER NOT NULL,
            owner TEXT,
            document TEXT NOT NULL
        );
        -- get-by-id, and list-by-kind in extId order without a sort step.
        CREATE UNIQUE INDEX entities_by_id ON entities(namespace, kind, extId);
        -- list-by-parent and cascade delete; namespace and kind included so the planner prefers it for
        -- child lists over the by-id index.
        CREATE INDEX entities_by_parent ON entities(parentExtId, namespace, kind, extId)
            WHERE parentExtId IS NOT NULL;
        -- Rows per (namespace, kind), kept by the store's own insert/delete statements (not triggers, which
        -- would cost reset its truncate optimization): an unfiltered list's total without scanning the kind.
        CREATE TABLE entity_counts(
            namespace TEXT NOT NULL,
            kind TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY(namespace, kind)
        ) WITHOUT ROWID;

        -- Fixed planner statistics (https://sqlite.org/fileformat2.html#stat1tab; ANALYZE is never run, so
        -- they stay as written): a kind holds many rows, a parent few. Without them SQLite cannot tell that
        -- `parentExtId = ?` or `json_extract(document, '$.name') = ?` narrows far more than `kind = ?`, and
        -- picks the by-id index to save the ORDER BY extId sort, scanning the whole kind.
        ANALYZE entities;  -- creates sqlite_stat1
        DELETE FROM sqlite_stat1;
        INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES
            ('entities', 'entities_by_id', '1000000 100000 100000 1'),
            ('entities', 'entities_by_parent', '1000000 10 10 10 1');
        ANALYZE sqlite_schema;  -- loads them

        CREATE TABLE tasks(
            extId TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            dueAt INTEGER,
            effect TEXT,
            document TEXT NOT NULL,
            createdAt INTEGER NOT NULL,
            updatedAt INTEGER NOT NULL
        );
        -- The scheduler's "what is due" probe touches only pending tasks.
        CREATE INDEX tasks_by_due ON tasks(dueAt) WHERE dueAt IS NOT NULL;
        CREATE INDEX tasks_by_created ON tasks(createdAt, extId);

        CREATE TABLE idempotency(
            requestId TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            status INTEGER NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            expiresAt INTEGER NOT NULL
        );
        CREATE INDEX idempotency_by_expiry ON idempotency(expiresAt);

        CREATE TABLE journal(
            sequence INTEGER PRIMARY KEY,
            recordedAt INTEGER NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER NOT NULL,
            requestId TEXT,
            durationMicros INTEGER NOT NULL
        );
        """,
        // Task lists filter on status and page in creation order (issue 7): the count and the page read this
        // index instead of every task row.
        """
        CREATE INDEX tasks_by_status ON tasks(status, createdAt, extId);
        """,
        // Declared document paths kept beside the JSON text (issue 4: scans and lambdas over 100,000 documents).
        // Filled at open for the paths a store declares (`EntityStore.syncValuePaths`), kept by the store's
        // own entity statements after that.
        """
        CREATE TABLE value_paths(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            path TEXT NOT NULL,
            -- The entity_hot column (0 = h0) of a scalar path; NULL for an element path.
            slot INTEGER,
            UNIQUE(kind, path)
        );
        -- One row per entity of a kind with scalar paths: its values in the slots the kind's declaration gives
        -- them. A narrow row (the rowid is the entity's), so a scan reads ~100 bytes per entity, not its document.
        CREATE TABLE entity_hot(entity INTEGER PRIMARY KEY, h0, h1, h2, h3, h4, h5, h6, h7);
        CREATE TABLE entity_values(
            entity INTEGER NOT NULL,
            path INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            value,
            PRIMARY KEY(path, entity, ordinal)
        ) WITHOUT ROWID;
        -- One b-tree, keyed by path first: a lambda reads one path's rows (value included) in entity order,
        -- joins a second member on (path, entity, ordinal), and an entity's rows go by
        -- `path IN (its kind's ids) AND entity = ?`. Indexes on entity_hot slots are created per store for the
        -- slots of paths declared `indexed` only (`ValueIndex.sync`): every index entry costs each insert.
        INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('entity_values', 'entity_values', '1000000 100000 2 1');
        ANALYZE sqlite_schema;
        """,
    ]

    /// Brings the database up to `version`, one transaction per step; true when the database was new (and so
    /// holds no rows). A new database gets every step in one transaction: the same schema, one commit.
    @discardableResult
    static func migrate(_ database: Database) throws -> Bool {
        let current = try database.scalarInt("PRAGMA user_version") ?? 0
        guard current <= Int64(migrations.count) else {
            throw StoreError.unsupportedSchemaVersion(found: Int(current), supported: migrations.count)
        }
        if current == 0 {
            try database.transaction("BEGIN IMMEDIATE") {
                for step in migrations { try database.execute(step) }
                // PRAGMA takes no bound values; the number is ours, not a client's.
                try database.execute("PRAGMA user_version = \(migrations.count)")
            }
            return true
        }
        for step in Int(current)..<migrations.count {
            try database.transaction("BEGIN IMMEDIATE") {
                try database.execute(migrations[step])
                try database.execute("PRAGMA user_version = \(step + 1)")
            }
        }
        return false
    }
}
