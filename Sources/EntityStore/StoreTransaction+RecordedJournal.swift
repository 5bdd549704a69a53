import FoundationEssentials

extension StoreTransaction {
    /// `appendJournal` for an entry that happened before this transaction: buffered entries keep the
    /// time their request arrived, not the time they were flushed.
    @discardableResult
    public func appendJournal(
        method: String, path: String, status: Int, requestId: String?, durationMicros: Int64, recordedAt: Date
    ) throws -> Int64 {
        try database.appendJournal(
            method: method, path: path, status: status, requestId: requestId, durationMicros: durationMicros,
            now: StoreTime.micros(recordedAt), capacity: journalCapacity)
    }
}
