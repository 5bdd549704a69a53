import Foundation
import Testing

@testable import EntityStore

/// A new database gets every migration in one transaction; it must end as a database migrated step by step
/// (as files written by earlier builds were) does.
struct SchemaTests {
    static func schema(_ path: String) throws -> [String] {
        let database = try Database(path: path, readOnly: true, busyTimeoutMilliseconds: 0)
        var lines: [String] = []
        for sql in [
            "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name",
            "SELECT tbl || ' ' || coalesce(idx, '') || ' ' || stat FROM sqlite_stat1 ORDER BY tbl, idx",
            "SELECT kind || ' ' || path || ' ' || coalesce(slot, '') FROM value_paths ORDER BY kind, path",
            "SELECT 'version ' || user_version FROM pragma_user_version",
        ] {
            try database.withStatement(sql) { statement in
                while try statement.step() { lines.append(statement.text(0)) }
            }
        }
        return lines
    }

    @Test func newDatabaseEqualsOneMigratedStepByStep() throws {
        let directory = try TemporaryDirectory()
        let stepwise = directory.path("stepwise.sqlite")
        do {
            let raw = try Database(path: stepwise, readOnly: false, busyTimeoutMilliseconds: 0)
            for (step, sql) in StoreSchema.migrations.enumerated() {
                try raw.execute("BEGIN IMMEDIATE; \(sql) PRAGMA user_version = \(step + 1); COMMIT;")
            }
        }
        let fresh = directory.path("fresh.sqlite")
        for path in [stepwise, fresh] {
            _ = try EntityStore(
                StoreConfiguration(location: .file(path), readerCount: 1, valuePaths: ValuePathTests.declared))
        }
        let expected = try Self.schema(stepwise)
        #expect(expected.contains("version \(StoreSchema.version)"))
        #expect(expected.contains { $0.hasPrefix("index entity_hot_by_h0 ") })
        #expect(try Self.schema(fresh) == expected)
    }
}
