import Foundation
import Testing

@testable import EntityStore

/// `DocumentValues` reads a document's declared values in Swift; where it answers, it answers as SQLite's JSON
/// functions do, and where it declines, SQLite's statements still write the rows.
struct DocumentValuesTests {
    static let declared: [String: [ValuePath]] = [
        Fixture.vm: [
            .scalar("name", indexed: true), .scalar("cluster/extId"), .scalar("size"),
            .element(of: "nics", "subnet/extId"), .element(of: "nics", "mac"), .element(of: "tags"),
        ]
    ]

    /// Documents in every shape the reader sees: plain ones it answers, and ones it leaves to SQLite
    /// (escapes, reals, big integers, objects where a value is wanted, duplicates).
    static let documents: [String] = [
        #"{"name":"a","cluster":{"extId":"c1"},"size":12,"nics":[{"subnet":{"extId":"s1"},"mac":"m1"},{"mac":null}],"tags":["x",1,true,false,null]}"#,
        #"{"name":"b"}"#,
        #"{}"#,
        #" { "name" : "spaced" , "nics" : [ { "subnet" : { "extId" : "s2" } } , 3 , "str" , [ ] ] } "#,
        #"{"name":"dup","name":"second","cluster":{"extId":"first"},"cluster":{"extId":"second"}}"#,
        #"{"cluster":"not an object","nics":"not an array","tags":{"0":"x"}}"#,
        #"{"cluster":{"other":1},"nics":[],"tags":[]}"#,
        #"{"name":"esc\"aped","tags":["a\u00e9b"]}"#,
        #"{"na\u006de":"escaped key","name":"plain"}"#,
        #"{"size":1.5,"tags":[2.25,-0,-7,1e3]}"#,
        #"{"size":123456789012345678,"tags":[-123456789012345678]}"#,
        #"{"size":1234567890123456789,"tags":[99999999999999999999]}"#,
        #"{"name":{"nested":true},"tags":[{"a":1},[1,2]]}"#,
        #"{"name":true,"size":false,"cluster":{"extId":null}}"#,
        #"{"name":"ünïcödé ✓","tags":["日本"]}"#,
        #"{"nics":[{"subnet":{"extId":"deep"},"mac":"m"},{"subnet":"flat"},{"subnet":{"extId":{"x":1}}}]}"#,
        #"{"name":"a","nics":[{"mac":1.0}]}"#,
    ]

    /// Each declared value with its SQL type, per entity.
    static func values(_ store: EntityStore) throws -> [String] {
        let slots = (0..<StoreSchema.Hot.slots).map { "WHEN \($0) THEN h\($0)" }.joined(separator: " ")
        let sql = """
            SELECT e.extId || ' ' || p.path || ' ' || typeof(CASE p.slot \(slots) END) || ' ' ||
                coalesce(quote(CASE p.slot \(slots) END), '')
            FROM entity_hot h JOIN entities e ON e.rowid = h.entity JOIN value_paths p ON p.kind = e.kind
            WHERE p.slot IS NOT NULL
            UNION ALL
            SELECT e.extId || ' ' || p.path || '[' || v.ordinal || '] ' || typeof(v.value) || ' ' || quote(v.value)
            FROM entity_values v JOIN value_paths p ON p.id = v.path JOIN entities e ON e.rowid = v.entity
            ORDER BY 1
            """
        return try store.read { view in
            try view.database.withStatement(sql) { statement in
                var rows: [String] = []
                while try statement.step() { rows.append(statement.text(0)) }
                return rows
            }
        }
    }

    static func entities() -> [NewEntity] {
        documents.enumerated().map { index, document in
            NewEntity(namespace: Fixture.namespace, kind: Fixture.vm, extId: "e\(index)", document: document)
        }
    }

    /// Rows written as documents are inserted (Swift where it answers) equal the rows SQLite's statements
    /// fill for the same documents when the declaration comes later.
    @Test func rowsEqualTheRowsSQLiteFills() throws {
        let directory = try TemporaryDirectory()
        let filledLocation = StoreConfiguration.Location.file(directory.path("filled.sqlite"))
        do {
            let plain = try EntityStore(StoreConfiguration(location: filledLocation, readerCount: 1))
            try plain.write { try $0.insert(contentsOf: Self.entities()) }
        }
        let filled = try EntityStore(
            StoreConfiguration(location: filledLocation, readerCount: 1, valuePaths: Self.declared))
        let inserted = try EntityStore(StoreConfiguration(location: .memory, readerCount: 1, valuePaths: Self.declared))
        try inserted.write { transaction in
            try transaction.insert(contentsOf: Self.entities().prefix(9))
            for entity in Self.entities().dropFirst(9) { try transaction.insert(entity) }
        }
        let expected = try Self.values(filled)
        #expect(expected.count > 60)
        #expect(try Self.values(inserted) == expected)
    }

    static let paths = [["name"], ["cluster", "extId"], ["size"], ["nics"], ["tags"]]

    static func read(_ document: String) -> (scalars: [SQLValue], arrays: [Int?])? {
        var text = document
        return text.withUTF8 { bytes in
            DocumentValues(document: bytes, paths: paths, scalarCount: 3).map {
                ($0.scalars, $0.arrays.map { $0?.count })
            }
        }
    }

    /// Plain documents are read in Swift (so the comparison above covers that reader, not only SQLite).
    @Test func plainDocumentsAreRead() throws {
        let first = try #require(Self.read(Self.documents[0]))
        #expect(first.scalars == [.text("a"), .text("c1"), .integer(12)])
        #expect(first.arrays == [2, 5])
        let spaced = try #require(Self.read(Self.documents[3]))
        #expect(spaced.scalars == [.text("spaced"), .null, .null])
        #expect(spaced.arrays == [4, nil])
        let duplicate = try #require(Self.read(Self.documents[4]))
        #expect(duplicate.scalars == [.text("dup"), .text("first"), .null])
        #expect(try #require(Self.read(Self.documents[13])).scalars == [.integer(1), .null, .integer(0)])
        #expect(try #require(Self.read(Self.documents[10])).scalars == [.null, .null, .integer(123456789012345678)])
    }

    /// What SQLite might answer otherwise, or not at all, is left to it.
    @Test(arguments: [
        #"{"name":"esc\"aped"}"#, #"{"size":1.5}"#, #"{"size":1234567890123456789}"#, #"{"name":{"a":1}}"#,
        "{\"name\":\"a\",\u{0B}\"size\":1}", #"{"name":"a""#, #"{"name":"a"} x"#, #"{"name":01}"#, #"{"name":-}"#,
        #"{"name":1.}"#, #"{"name":tru}"#, #"{"name":nullx}"#, #"["name"]"#, "{\"name\":\"a\u{01}\"}",
        #"{"x":"\q"}"#, #"{"x":[1,]}"#, #"{"x":{"a":1,}}"#, #"{"name":"a",}"#,
    ])
    func doubtfulDocumentsAreDeclined(document: String) {
        #expect(Self.read(document) == nil)
    }

    /// Strings are skipped eight bytes at a time: a quote, backslash or control byte is found wherever it
    /// falls in a word, and multi-byte UTF-8 is plain text.
    @Test(arguments: 0..<20)
    func stringEndsAndEscapesAreFoundAtEveryOffset(offset: Int) throws {
        let text = String(repeating: "é", count: offset % 3) + String(repeating: "x", count: offset)
        let plain = try #require(Self.read(#"{"name":"\#(text)","size":1}"#))
        #expect(plain.scalars == [.text(text), .null, .integer(1)])
        #expect(Self.read(#"{"name":"\#(text)\"q","size":1}"#) == nil)
        #expect(Self.read("{\"name\":\"\(text)\u{1F}\",\"size\":1}") == nil)
        // The same in a skipped value: the reader still finds where it ends.
        let skipped = try #require(Self.read(#"{"other":"\#(text)\"}","size":2}"#))
        #expect(skipped.scalars == [.null, .null, .integer(2)])
    }

    /// A malformed document of a declared kind is refused as before (SQLite's JSON functions fail on it).
    @Test func malformedDocumentIsRefused() throws {
        let store = try EntityStore(StoreConfiguration(location: .memory, readerCount: 1, valuePaths: Self.declared))
        #expect(throws: (any Error).self) {
            try store.write { transaction in
                try transaction.insert(
                    NewEntity(namespace: Fixture.namespace, kind: Fixture.vm, extId: "bad", document: #"{"name":"#))
            }
        }
        #expect(try Fixture.scannedCount(store) == 0)
    }
}
