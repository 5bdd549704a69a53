extension EntityStore {
    /// How many entities are stored in all; a file database holding any is not re-seeded at start.
    public func entityCount() throws -> Int {
        try read { view in Int(try view.database.scalarInt("SELECT count(*) FROM entities", []) ?? 0) }
    }
}
