import FoundationEssentials

/// One row of `tasks`: the prism Task document plus what the task scheduler needs.
public struct StoredTask: Sendable, Hashable {
    public var extId: String
    /// The task's status as the application names it (`QUEUED`, `RUNNING`, `SUCCEEDED`, …).
    public var status: String
    /// When the scheduler must next act on the task; nil once it is settled.
    public var dueAt: Date?
    /// JSON the application applies when the task completes (the entity change it stands for).
    public var effect: String?
    public var document: String
    public var createdAt: Date
    public var updatedAt: Date
}

/// One page of tasks and the total matching the filter.
public struct TaskPage: Sendable, Hashable {
    public var tasks: [StoredTask]
    public var totalCount: Int

    public init(tasks: [StoredTask], totalCount: Int) {
        self.tasks = tasks
        self.totalCount = totalCount
    }
}

extension Database {
    static let taskColumns = "extId, status, dueAt, effect, document, createdAt, updatedAt"

    static func readTask(_ row: Statement) -> StoredTask {
        StoredTask(
            extId: row.text(0), status: row.text(1), dueAt: row.isNull(2) ? nil : StoreTime.date(row.int64(2)),
            effect: row.optionalText(3), document: row.text(4), createdAt: StoreTime.date(row.int64(5)),
            updatedAt: StoreTime.date(row.int64(6)))
    }

    func upsertTask(
        extId: String, status: String, dueAt: Date?, effect: String?, document: String, now: Int64,
        values: ValueIndex = .empty
    ) throws -> StoredTask {
        let (createdAt, rowid) = try withStatement(
            """
            INSERT INTO tasks(\(Self.taskColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(extId) DO UPDATE SET status = excluded.status, dueAt = excluded.dueAt,
                effect = excluded.effect, document = excluded.document, updatedAt = excluded.updatedAt
            RETURNING createdAt, rowid
            """
        ) { statement -> (Int64, Int64?) in
            try statement.bind(extId, at: 1)
            try statement.bind(status, at: 2)
            try statement.bind(dueAt.map { SQLValue.integer(StoreTime.micros($0)) } ?? .null, at: 3)
            try statement.bind(effect, at: 4)
            try statement.bind(document, at: 5)
            try statement.bind(now, at: 6)
            try statement.bind(now, at: 7)
            return try statement.step() ? (statement.int64(0), statement.int64(1)) : (now, nil)
        }
        // Every upsert rewrites the element rows: a status change may also change the affected entities.
        if let rowid, values.kind(ValueIndex.taskKind) != nil {
            try deleteValues(entity: rowid, kind: ValueIndex.taskKind, index: values)
            try insertValues(entity: rowid, kind: ValueIndex.taskKind, document: document, index: values)
        }
        return StoredTask(
            extId: extId, status: status, dueAt: dueAt, effect: effect, document: document,
            createdAt: StoreTime.date(createdAt), updatedAt: StoreTime.date(now))
    }

    func task(extId: String) throws -> StoredTask? {
        try withStatement("SELECT \(Self.taskColumns) FROM tasks WHERE extId = ?") { statement in
            try statement.bind(extId, at: 1)
            return try statement.step() ? Self.readTask(statement) : nil
        }
    }

    /// Tasks with `dueAt <= now`, earliest first; served by the partial index on `dueAt`.
    func dueTasks(now: Int64, limit: Int) throws -> [StoredTask] {
        try withStatement(
            "SELECT \(Self.taskColumns) FROM tasks WHERE dueAt IS NOT NULL AND dueAt <= ? ORDER BY dueAt, extId LIMIT ?"
        ) { statement in
            try statement.bind(now, at: 1)
            try statement.bind(Int64(max(0, limit)), at: 2)
            var tasks: [StoredTask] = []
            while try statement.step() { tasks.append(Self.readTask(statement)) }
            return tasks
        }
    }

    func nextTaskDueDate() throws -> Date? {
        try scalarInt("SELECT min(dueAt) FROM tasks WHERE dueAt IS NOT NULL").map(StoreTime.date)
    }

    func listTasks(
        whereSQL: String?, orderBySQL: String?, arguments: [SQLValue], limit: Int, offset: Int
    ) throws -> TaskPage {
        let list = FragmentList(
            columns: Self.taskColumns, table: StoreSchema.Tasks.table, scope: "1", scopeArguments: [],
            whereSQL: whereSQL, orderBySQL: orderBySQL, defaultOrder: "createdAt, extId", tieBreak: "extId",
            arguments: arguments, limit: limit, offset: offset)
        let (rows, total) = try list.run(on: self, read: Self.readTask)
        return TaskPage(tasks: rows, totalCount: total)
    }
}
