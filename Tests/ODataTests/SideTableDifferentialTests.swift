import EntityStore
import Foundation
import Testing

@testable import OData

/// The differential test again, through a real EntityStore that keeps declared paths in `entity_values`,
/// with the compiler told about them: every generated filter must select exactly the documents the
/// evaluator selects. The rows are written by the store's own insert, replace, delete and reset, so a
/// maintenance slip shows up here as a disagreement.
struct SideTableDifferentialTests {
    static let namespace = "vmm"
    static let kind = "vmm:ahv/config/vms"

    /// Some declared, some not (a conjunct mixing both must still be right).
    static let declared: [ValuePath] = [
        .scalar("name", indexed: true), .scalar("description"), .scalar("numSockets"), .scalar("cpuRatio"),
        .scalar("isActive"),
        .scalar("powerState"), .scalar("createTime"), .scalar("cluster/extId"), .element(of: "tags"),
        .element(of: "disks", "diskAddress/busType"), .element(of: "disks", "sizeBytes", indexed: true),
        .element(of: "nics", "isConnected"),
    ]

    /// Collection shapes the fixture generator never makes: objects and scalars where arrays are expected,
    /// scalars and nulls where objects are expected as elements, empty arrays.
    static let oddDocuments: [String] = [
        #"{"tags":{"a":"prod"},"disks":{"sizeBytes":5},"nics":"x","name":"alpha"}"#,
        #"{"tags":"prod","disks":[1,"SCSI",null],"nics":[true,{"isConnected":true}],"numSockets":3}"#,
        #"{"tags":[null,"prod"],"disks":[{"diskAddress":"SCSI"},{}],"nics":[{"isConnected":null}]}"#,
        #"{"tags":[],"disks":[],"nics":[],"powerState":"ON","createTime":"2024-01-01T00:00:00Z"}"#,
    ]

    static func sideTable(_ store: EntityStore) -> SideTable {
        var side = SideTable(rowid: "entities.rowid", hotColumns: store.hotColumns(kind: kind))
        for (path, id) in store.valuePathIDs(kind: kind) {
            if let array = path.array { side.elements[array, default: [:]][path.member] = id }
        }
        return side
    }

    static func arguments(_ fragment: SQLFragment) -> [SQLValue] {
        fragment.arguments.map { argument in
            switch argument {
            case .null: .null
            case .integer(let value): .integer(value)
            case .double(let value): .real(value)
            case .text(let value): .text(value)
            }
        }
    }

    static func extId(_ index: Int) -> String { String(format: "id-%05d", index) }

    /// Stores `documents` by a roundabout way: every entity first holds another document, is then replaced;
    /// every fifth is deleted and inserted again (its rowid may be reused by another).
    static func load(_ texts: [String], into store: EntityStore) throws {
        try store.reset { transaction in
            for index in texts.indices {
                try transaction.insert(
                    NewEntity(
                        namespace: namespace, kind: kind, extId: extId(index),
                        document: texts[(index + 7) % texts.count]))
            }
        }
        try store.write { transaction in
            for (index, text) in texts.enumerated() {
                let outcome = try transaction.replace(
                    namespace: namespace, kind: kind, extId: extId(index), document: text, expectedRevision: 1)
                #expect(outcome == .ok(2))
            }
            for index in stride(from: 0, to: texts.count, by: 5) {
                #expect(
                    try transaction.delete(namespace: namespace, kind: kind, extId: extId(index), expectedRevision: nil)
                        == .ok(2))
            }
            for index in stride(from: 0, to: texts.count, by: 5) {
                try transaction.insert(
                    NewEntity(namespace: namespace, kind: kind, extId: extId(index), document: texts[index]))
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func evaluatorAndSideTablesAgree(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed &* 7919)
        var documents = (0..<160).map { Fixtures.document(&random, index: $0) }
        documents += try Self.oddDocuments.map { try JSON.parse($0) }
        let store = try EntityStore(StoreConfiguration(readerCount: 1, valuePaths: [Self.kind: Self.declared]))
        defer { store.close() }
        // Left over from a reset: must not be visible after the next one.
        try store.write { transaction in
            try transaction.insert(
                NewEntity(namespace: Self.namespace, kind: Self.kind, extId: "stale", document: "{}"))
        }
        try Self.load(documents.map(\.text), into: store)
        let side = Self.sideTable(store)
        var generator = FilterGenerator(seed: seed)
        var pushed = 0
        for _ in 0..<700 {
            let filter = generator.predicate(3)
            let query = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog)
            guard let fragment = try query.sqlWhere(side: side) else { continue }
            if fragment.sql.contains("entity_values") || fragment.sql.contains("entity_hot") { pushed += 1 }
            let expected = documents.indices.filter { query.matches(documents[$0]) }.map(Self.extId)
            let page = try store.list(
                namespace: Self.namespace, kind: Self.kind, whereSQL: fragment.sql,
                arguments: Self.arguments(fragment), limit: 1_000)
            #expect(page.entities.map(\.extId) == expected, "filter: \(filter)\nsql: \(fragment.sql)")
            #expect(page.totalCount == expected.count)
            // The same conjuncts as correlated probes (what a small kind reads) bind the same arguments.
            var probing = side
            probing.correlated = true
            let probed = try #require(try query.sqlWhere(side: probing))
            #expect(probed.arguments == fragment.arguments)
            let probedPage = try store.list(
                namespace: Self.namespace, kind: Self.kind, whereSQL: probed.sql, arguments: Self.arguments(probed),
                limit: 1_000)
            #expect(probedPage.entities.map(\.extId) == expected, "filter: \(filter)\nsql: \(probed.sql)")
            let plain = try #require(try query.sqlWhere())
            let plainPage = try store.list(
                namespace: Self.namespace, kind: Self.kind, whereSQL: plain.sql, arguments: Self.arguments(plain),
                limit: 1_000)
            #expect(plainPage.entities.map(\.extId) == expected, "filter: \(filter)\nsql: \(plain.sql)")
        }
        // Most generated filters must actually read the side table, or this proves little.
        #expect(pushed > 350)
    }

    /// Hand-written cases for what the generator rarely hits: several members of one element, `all`,
    /// a conjunct over two hot paths, and odd shapes.
    @Test(arguments: [
        "disks/any(d:d/diskAddress/busType eq 'SCSI' and d/sizeBytes eq 2147483648)",
        "disks/all(d:d/diskAddress/busType eq 'SCSI' or d/sizeBytes gt 1073741824)",
        "disks/all(d:d/sizeBytes eq null)", "disks/any(d:d/sizeBytes eq null)", "tags/any(t:t eq null)",
        "tags/all(t:t ne 'prod')", "tags/any()", "nics/any(n:true)", "nics/all(n:n/isConnected)",
        "name eq 'alpha' or powerState eq 'ON'", "not (name eq 'alpha' or numSockets gt 3)",
        "name eq null and numSockets ne null", "contains(name,'a') and disks/any(d:d/sizeBytes gt 0)",
        "isActive eq true", "cpuRatio gt 0.2", "createTime gt 2024-01-01T00:00:00Z", "cluster/extId eq null",
        "numSockets add 1 gt 3", "not contains(name,'a')", "memorySizeBytes gt 1 and name ne 'vm-1'",
    ])
    func handWrittenFiltersAgree(filter: String) throws {
        var random = SeededGenerator(seed: 99)
        var documents = (0..<160).map { Fixtures.document(&random, index: $0) }
        documents += try Self.oddDocuments.map { try JSON.parse($0) }
        let store = try EntityStore(StoreConfiguration(readerCount: 1, valuePaths: [Self.kind: Self.declared]))
        defer { store.close() }
        try Self.load(documents.map(\.text), into: store)
        let side = Self.sideTable(store)
        let query = try ODataQuery.parse(filter: filter, catalog: Fixtures.catalog)
        let fragment = try #require(try query.sqlWhere(side: side))
        let expected = documents.indices.filter { query.matches(documents[$0]) }.map(Self.extId)
        let page = try store.list(
            namespace: Self.namespace, kind: Self.kind, whereSQL: fragment.sql, arguments: Self.arguments(fragment),
            limit: 1_000)
        #expect(page.entities.map(\.extId) == expected, "sql: \(fragment.sql)")
        var probing = side
        probing.correlated = true
        let probed = try #require(try query.sqlWhere(side: probing))
        let probedPage = try store.list(
            namespace: Self.namespace, kind: Self.kind, whereSQL: probed.sql, arguments: Self.arguments(probed),
            limit: 1_000)
        #expect(probedPage.entities.map(\.extId) == expected, "sql: \(probed.sql)")
    }
}
