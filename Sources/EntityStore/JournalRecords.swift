import FoundationEssentials

/// One request in the admin journal.
public struct JournalEntry: Sendable, Hashable {
    /// Grows by one per append; the oldest entries beyond the store's capacity are dropped.
    public var sequence: Int64
    public var recordedAt: Date
    public var method: String
    public var path: String
    public var status: Int
    public var requestId: String?
    public var durationMicros: Int64
}

extension Database {
    /// Appends and trims to the newest `capacity` rows, in the same transaction.
    func appendJournal(
        method: String, path: String, status: Int, requestId: String?, durationMicros: Int64, now: Int64,
        capacity: Int
    ) throws -> Int64 {
        try run(
            """
            INSERT INTO journal(recordedAt, method, path, status, requestId, durationMicros)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(now), .text(method), .text(path), .integer(Int64(status)),
                requestId.map(SQLValue.text) ?? .null, .integer(durationMicros),
            ])
        let sequence = lastInsertRowID
        // INTEGER PRIMARY KEY hands out max(sequence) + 1, so sequences stay dense and this trims exactly.
        try run("DELETE FROM journal WHERE sequence <= ?", [.integer(sequence - Int64(capacity))])
        return sequence
    }

    /// The newest `limit` entries, oldest first (newest last, as the admin API lists them).
    func recentJournal(limit: Int) throws -> [JournalEntry] {
        try withStatement(
            """
            SELECT sequence, recordedAt, method, path, status, requestId, durationMicros FROM (
                SELECT * FROM journal ORDER BY sequence DESC LIMIT ?
            ) ORDER BY sequence
            """
        ) { row in
            try row.bind(Int64(max(0, limit)), at: 1)
            var entries: [JournalEntry] = []
            while try row.step() {
                entries.append(
                    JournalEntry(
                        sequence: row.int64(0), recordedAt: StoreTime.date(row.int64(1)), method: row.text(2),
                        path: row.text(3), status: Int(row.int64(4)), requestId: row.optionalText(5),
                        durationMicros: row.int64(6)))
            }
            return entries
        }
    }
}
