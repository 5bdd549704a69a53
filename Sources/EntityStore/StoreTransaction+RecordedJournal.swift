import FoundationEssentials

extension StoreTransaction {
    /// Appends a batch of journal entries that happened before this transaction: each keeps the time its request
    /// arrived, not the time it was flushed, and the table is trimmed to its capacity once per batch instead of
    /// once per row.
    public func appendJournal(
        _ entries: some Sequence<
            (method: String, path: String, status: Int, requestId: String?, durationMicros: Int64, recordedAt: Date)
        >
    ) throws {
        for e in entries {
            try database.run(
                """
                INSERT INTO journal(recordedAt, method, path, status, requestId, durationMicros)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    .integer(StoreTime.micros(e.recordedAt)), .text(e.method), .text(e.path),
                    .integer(Int64(e.status)), e.requestId.map(SQLValue.text) ?? .null, .integer(e.durationMicros),
                ])
        }
        try database.run(
            "DELETE FROM journal WHERE sequence <= (SELECT max(sequence) FROM journal) - ?",
            [.integer(Int64(journalCapacity))])
    }
}
