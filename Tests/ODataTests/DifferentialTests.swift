import Foundation
import Testing

@testable import OData

/// The evaluator is the semantic reference; SQLite must select exactly the same documents for
/// every generated filter (odata.md §7: "differential testing").
struct DifferentialTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func evaluatorAndSQLiteAgree(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed &* 7919)
        let documents = (0..<160).map { Fixtures.document(&random, index: $0) }
        let database = try TestDatabase()
        try database.insert(documents)
        var generator = FilterGenerator(seed: seed)
        var compared = 0
        var nonEmpty = 0
        for _ in 0..<700 {
            let filter = generator.predicate(3)
            let query: ODataQuery
            do {
                query = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog)
            } catch {
                Issue.record("generated filter rejected: \(filter): \(error)")
                continue
            }
            guard let fragment = try query.sqlWhere() else { continue }
            let expected = documents.indices.filter { query.matches(documents[$0]) }
            let actual = try database.matching(fragment)
            #expect(actual == expected, "filter: \(filter)\nsql: \(fragment.sql)")
            // The same through hot-field generated columns.
            let hot = try #require(try query.sqlWhere(columns: TestDatabase.hotColumns))
            #expect(try database.matching(hot) == expected, "filter: \(filter)\nsql: \(hot.sql)")
            compared += 1
            if !expected.isEmpty && expected.count < documents.count { nonEmpty += 1 }
        }
        #expect(compared == 700)
        // The generator must produce selective filters, or the comparison proves little.
        #expect(nonEmpty > 250)
    }
}
