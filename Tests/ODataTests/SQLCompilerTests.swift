import Testing

@testable import OData

struct SQLCompilerTests {
    static func sql(_ filter: String, column: String = "document") throws -> SQLFragment {
        let query = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog)
        return try #require(try query.sqlWhere(documentColumn: column))
    }

    @Test func userValuesAreBoundNeverSpliced() throws {
        let hostile = "x'); DROP TABLE entities; --"
        let fragment = try SQLCompilerTests.sql(
            "name eq '\(hostile.replacingOccurrences(of: "'", with: "''"))' "
                + "or contains(name,'%_') or name in ('a''b')")
        #expect(!fragment.sql.contains("DROP"))
        #expect(!fragment.sql.contains("%_"))
        #expect(!fragment.sql.contains("a'b"))
        #expect(fragment.arguments == [.text(hostile), .text("%_"), .text("a'b")])
        #expect(fragment.sql.filter { $0 == "?" }.count == fragment.arguments.count)

        let database = try TestDatabase()
        try database.insert([.object(["name": .string(hostile)]), .object(["name": .string("a%_b")])])
        #expect(try database.matching(fragment) == [0, 1])
        #expect(try database.rowids("SELECT count(*) FROM entities", []) == [2])
    }

    @Test func mapsOperatorsAsOdataMdSection7() throws {
        #expect(try SQLCompilerTests.sql("name ne 'x'").sql == "(json_extract(document, '$.name') IS NOT ?)")
        #expect(
            try SQLCompilerTests.sql("numSockets gt 2").sql == "COALESCE(json_extract(document, '$.numSockets') > ?, 0)"
        )
        #expect(
            try SQLCompilerTests.sql("cluster/name eq null").sql == "(json_extract(document, '$.cluster.name') IS NULL)"
        )
        #expect(
            try SQLCompilerTests.sql("contains(name,'a')").sql == "(instr(json_extract(document, '$.name'), ?) > 0)")
        #expect(
            try SQLCompilerTests.sql("createTime gt 2024-01-01T00:00:00Z").sql
                == "COALESCE(julianday(json_extract(document, '$.createTime')) > julianday(?), 0)")
        #expect(
            try SQLCompilerTests.sql("extId eq 'AB3F1C2D-5A6B-4C7D-8E9F-A0B1C2D3E4F5'", column: "e.document")
                == SQLFragment(
                    sql: "(json_extract(e.document, '$.extId') IS ? COLLATE NOCASE)",
                    arguments: [.text("ab3f1c2d-5a6b-4c7d-8e9f-a0b1c2d3e4f5")]))
        #expect(try SQLCompilerTests.sql("extId eq 'invalid'").sql == "0")
    }

    @Test func lambdasBecomeCorrelatedJsonEach() throws {
        let any = try SQLCompilerTests.sql("disks/any(d:d/diskAddress/busType eq 'SCSI')")
        #expect(
            any.sql == "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_type(document, '$.disks') = 'array' "
                + "THEN json_extract(document, '$.disks') END) AS j1 WHERE j1.key IS NOT NULL AND "
                + "((CASE WHEN j1.type = 'object' THEN json_extract(j1.value, '$.diskAddress.busType') END IS ?)))")
        let all = try SQLCompilerTests.sql("tags/all(t:t ne 'x')")
        #expect(
            all.sql == "NOT EXISTS (SELECT 1 FROM json_each(CASE WHEN json_type(document, '$.tags') = 'array' "
                + "THEN json_extract(document, '$.tags') END) AS j1 WHERE j1.key IS NOT NULL "
                + "AND NOT COALESCE((j1.value IS NOT ?), 0))")
        let nested = try SQLCompilerTests.sql("nics/any(n:n/ipAddresses/any(ip:ip eq '10.0.0.1'))")
        #expect(
            nested.sql.contains(
                "json_each(CASE WHEN j1.type = 'object' AND json_type(j1.value, '$.ipAddresses') = 'array' "
                    + "THEN json_extract(j1.value, '$.ipAddresses') END) AS j2"))
    }

    static let side = SideTable(
        rowid: "entities.rowid", hotColumns: ["name": "h0", "powerState": "h1"],
        elements: ["disks": ["diskAddress/busType": 3, "sizeBytes": 4]])

    @Test func hotConjunctsReadTheSideTable() throws {
        let query = try ODataQuery.parse(
            filter: "contains(name,'x') and (name eq 'a' or powerState eq 'ON') and numSockets gt 2",
            catalog: Fixtures.catalog)
        let fragment = try #require(try query.sqlWhere(side: SQLCompilerTests.side))
        #expect(
            fragment.sql
                == "((entities.rowid IN (SELECT entity FROM entity_hot WHERE (instr(entity_hot.h0, ?) > 0))) AND "
                + "(entities.rowid IN (SELECT entity FROM entity_hot WHERE ((entity_hot.h0 IS ?) OR "
                + "(entity_hot.h1 IS ?)))) AND COALESCE(json_extract(document, '$.numSockets') > ?, 0))")
        #expect(fragment.arguments == [.text("x"), .text("a"), .text("ON"), .integer(2)])
        // Below `not` a conjunct's NULL and 0 differ: it stays on the document.
        let negated = try ODataQuery.parse(filter: "not contains(name,'x') or numSockets eq 1", catalog: Fixtures.catalog)
        #expect(try negated.sqlWhere(side: SQLCompilerTests.side)?.sql.contains("entity_hot") == false)
    }

    @Test func lambdasOverDeclaredMembersJoinOnTheElement() throws {
        let query = try ODataQuery.parse(
            filter: "disks/any(d:d/diskAddress/busType eq 'SCSI' and d/sizeBytes gt 1)", catalog: Fixtures.catalog)
        let fragment = try #require(try query.sqlWhere(side: SQLCompilerTests.side))
        #expect(
            fragment.sql
                == "(entities.rowid IN (SELECT v0.entity FROM entity_values AS v0 JOIN entity_values AS v1 ON "
                + "v1.entity = v0.entity AND v1.ordinal = v0.ordinal AND v1.path = 4 WHERE v0.path = 3 AND "
                + "(((v0.value IS ?) AND COALESCE(v1.value > ?, 0)))))")
        #expect(fragment.arguments == [.text("SCSI"), .integer(1)])
        let all = try #require(
            try ODataQuery.parse(filter: "disks/all(d:d/sizeBytes gt 1)", catalog: Fixtures.catalog)
                .sqlWhere(side: SQLCompilerTests.side))
        #expect(all.sql.hasPrefix("(entities.rowid NOT IN (SELECT v0.entity"))
        #expect(all.sql.hasSuffix("AND NOT COALESCE(COALESCE(v0.value > ?, 0), 0)))"))
        // A member that is not declared, or a field of the document, keeps the json_each form.
        for filter in ["disks/any(d:d/index eq 1)", "disks/any(d:d/sizeBytes eq numSockets)"] {
            let kept = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog).sqlWhere(side: SQLCompilerTests.side)
            #expect(kept?.sql.contains("entity_values") == false, "\(filter)")
        }
    }

    @Test func reportsWhatOnlyTheEvaluatorCanDo() throws {
        for filter in [
            "matchesPattern(name,'^a')", "fractionalseconds(createTime) gt 0.5",
            "totaloffsetminutes(createTime) eq 60", "time(createTime) gt 10:00:00",
        ] {
            let query = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog)
            #expect(throws: ODataError.self) { try query.sqlWhere() }
            do {
                _ = try query.sqlWhere()
            } catch {
                #expect(error.kind == .unsupportedInSQL)
            }
        }
        let document: JSON = .object([
            "createTime": .string("2024-01-01T10:30:00.750+01:00"), "name": .string("ab"),
        ])
        let checks = [
            ("matchesPattern(name,'^a')", true), ("fractionalseconds(createTime) eq 0.75", true),
            ("totaloffsetminutes(createTime) eq 60", true), ("time(createTime) gt 10:30:00", true),
            ("time(createTime) gt 10:31:00", false),
        ]
        for (filter, expected) in checks {
            #expect(
                try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog).matches(document) == expected,
                "\(filter)")
        }
    }

    @Test func orderByHasStableTieBreakAndMatchesInMemorySort() throws {
        let query = try ODataQuery.parse(orderby: "name desc,memorySizeBytes", catalog: Fixtures.catalog)
        let fragment = try query.sqlOrderBy(tieBreak: "extId")
        #expect(
            fragment.sql == "json_extract(document, '$.name') DESC, json_extract(document, '$.memorySizeBytes') ASC, "
                + "extId ASC")
        var random = SeededGenerator(seed: 99)
        let documents = (0..<150).map { Fixtures.document(&random, index: $0) }
        let database = try TestDatabase()
        try database.insert(documents)
        for orderby in [
            "name desc,memorySizeBytes", "createTime", "powerState desc,numSockets", "cluster/extId,name",
            "isActive desc,cpuRatio", "length(name) desc,tolower(name)", "numSockets mul -1",
        ] {
            let ordered = try ODataQuery.parse(orderby: orderby, catalog: Fixtures.catalog)
            let order = try ordered.sqlOrderBy(tieBreak: "rowid")
            let sqlOrder = try database.rowids("SELECT rowid FROM entities ORDER BY " + order.sql, order.arguments)
            let memoryOrder = documents.indices.sorted { a, b in
                let result = ordered.compare(documents[a], documents[b])
                return result != 0 ? result < 0 : a < b
            }
            #expect(sqlOrder == memoryOrder, "orderby: \(orderby)")
        }
    }
}
