import FoundationEssentials

/// A stored answer to a request that carried an idempotency key (`NTNX-Request-Id`), replayed on retry.
public struct IdempotencyRecord: Sendable, Hashable {
    public var requestId: String
    /// Method + path + body hash: the same key with a different request is a conflict, not a replay.
    public var fingerprint: String
    public var status: Int
    /// Response headers as JSON text.
    public var headers: String
    public var body: [UInt8]
    public var expiresAt: Date

    public init(requestId: String, fingerprint: String, status: Int, headers: String, body: [UInt8], expiresAt: Date) {
        self.requestId = requestId
        self.fingerprint = fingerprint
        self.status = status
        self.headers = headers
        self.body = body
        self.expiresAt = expiresAt
    }
}

extension Database {
    /// The record, unless it has expired by `now`.
    func idempotencyRecord(requestId: String, now: Int64) throws -> IdempotencyRecord? {
        try withStatement(
            """
            SELECT requestId, fingerprint, status, headers, body, expiresAt FROM idempotency
            WHERE requestId = ? AND expiresAt > ?
            """
        ) { row in
            try row.bind(requestId, at: 1)
            try row.bind(now, at: 2)
            guard try row.step() else { return nil }
            return IdempotencyRecord(
                requestId: row.text(0), fingerprint: row.text(1), status: Int(row.int64(2)), headers: row.text(3),
                body: row.blob(4), expiresAt: StoreTime.date(row.int64(5)))
        }
    }

    func putIdempotencyRecord(_ record: IdempotencyRecord) throws {
        try run(
            """
            INSERT INTO idempotency(requestId, fingerprint, status, headers, body, expiresAt) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(requestId) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
                headers = excluded.headers, body = excluded.body, expiresAt = excluded.expiresAt
            """,
            [
                .text(record.requestId), .text(record.fingerprint), .integer(Int64(record.status)),
                .text(record.headers), .blob(record.body), .integer(StoreTime.micros(record.expiresAt)),
            ])
    }

    func purgeExpiredIdempotencyRecords(now: Int64) throws -> Int {
        try run("DELETE FROM idempotency WHERE expiresAt <= ?", [.integer(now)])
    }
}
