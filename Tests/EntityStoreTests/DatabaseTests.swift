import CSQLite
import Foundation
import Testing

@testable import EntityStore

struct DatabaseTests {
    private func memory() throws -> Database {
        try Database(path: ":memory:", readOnly: false, busyTimeoutMilliseconds: 100)
    }

    @Test(arguments: [
        SQLValue.null, .integer(.min), .integer(.max), .integer(0), .real(-1.5), .real(1e300), .text(""),
        .text("héllo ✓ 🚀"), .text("nul\u{0}inside"), .blob([]), .blob([0, 1, 254, 255]),
    ])
    func valuesRoundTripThroughBinding(value: SQLValue) throws {
        let database = try memory()
        let read = try database.withStatement("SELECT ?") { statement in
            try statement.bind([value])
            let stepped = try statement.step()
            #expect(stepped)
            return statement.value(0)
        }
        #expect(read == value)
    }

    @Test func syntaxErrorCarriesCodeMessageAndSQL() throws {
        let database = try memory()
        let error = #expect(throws: SQLiteError.self) { try database.run("SELEC 1") }
        #expect(error?.primaryCode == SQLITE_ERROR)
        #expect(error?.sql == "SELEC 1")
        #expect(error?.message.contains("syntax error") == true)
    }

    @Test func constraintViolationCarriesExtendedCode() throws {
        let database = try memory()
        try database.execute("CREATE TABLE t(id INTEGER UNIQUE)")
        try database.run("INSERT INTO t VALUES (?)", [.integer(1)])
        let error = #expect(throws: SQLiteError.self) { try database.run("INSERT INTO t VALUES (?)", [.integer(1)]) }
        #expect(error?.primaryCode == SQLITE_CONSTRAINT)
        #expect(error?.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE, a macro Swift cannot import
    }

    @Test func secondStatementInOneTextIsRejected() throws {
        let database = try memory()
        try database.execute("CREATE TABLE t(id INTEGER)")
        #expect(throws: SQLiteError.self) { try database.run("SELECT 1; DROP TABLE t") }
        #expect(try database.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == 1)
    }

    @Test func cachedStatementComesBackWithBindingsCleared() throws {
        let database = try memory()
        #expect(try database.scalarInt("SELECT ?", [.integer(5)]) == 5)
        // Same SQL text, nothing bound this time: a leftover 5 would be a bug.
        #expect(try database.scalarInt("SELECT ?") == nil)
    }

    @Test func statementIsResetAfterUseSoNoReadStaysOpen() throws {
        let database = try memory()
        try database.execute("CREATE TABLE t(id INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        let statement = try database.withStatement("SELECT id FROM t") { statement in
            let stepped = try statement.step()  // one row of three: the statement is mid-scan here
            #expect(stepped)
            #expect(sqlite3_stmt_busy(statement.handle) != 0)
            return statement
        }
        #expect(sqlite3_stmt_busy(statement.handle) == 0)
    }

    @Test func transactionRollsBackWhenBodyThrows() throws {
        struct Boom: Error {}
        let database = try memory()
        try database.execute("CREATE TABLE t(id INTEGER)")
        #expect(throws: Boom.self) {
            try database.transaction("BEGIN IMMEDIATE") {
                try database.run("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try database.scalarInt("SELECT count(*) FROM t") == 0)
        #expect(!database.isInTransaction)
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ro.sqlite")
        let writer = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: 100)
        try writer.execute("CREATE TABLE t(id INTEGER)")
        let reader = try Database(path: path, readOnly: true, busyTimeoutMilliseconds: 100)
        let error = #expect(throws: SQLiteError.self) { try reader.run("INSERT INTO t VALUES (1)") }
        #expect(error?.primaryCode == SQLITE_READONLY)
    }

    @Test func openingAMissingDirectoryFails() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: SQLiteError.self) {
            try Database(path: directory.path("missing/db.sqlite"), readOnly: false, busyTimeoutMilliseconds: 0)
        }
        #expect(error?.primaryCode == SQLITE_CANTOPEN)
    }
}
