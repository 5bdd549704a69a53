import Foundation
import Testing

@testable import EntityStore

/// `list` with caller-supplied WHERE / ORDER BY fragments, paging and totals.
struct FragmentListTests {
    /// Seven VMs (names repeat, to exercise the extId tie-break), one disk, and one entity of another kind.
    private func seeded() throws -> EntityStore {
        let store = try Fixture.store()
        try store.write { transaction in
            try transaction.insert(contentsOf: [
                Fixture.vm("vm-7", name: "web", power: "ON", disks: [10]),
                Fixture.vm("vm-3", name: "db", power: "OFF", disks: [10, 200]),
                Fixture.vm("vm-5", name: "web", power: "OFF"),
                Fixture.vm("vm-1", name: "app", power: "ON", disks: [300]),
                Fixture.vm("vm-6", name: "web", power: "ON"),
                Fixture.vm("vm-2", name: "cache", power: "ON", disks: [5, 6, 7]),
                Fixture.vm("vm-4", name: "db", power: "OFF"),
                Fixture.disk("disk-1", parent: "vm-1"),
                NewEntity(namespace: Fixture.namespace, kind: "vmm.v4.Other", extId: "x", document: #"{"name":"web"}"#),
            ])
        }
        return store
    }

    private func ids(_ page: EntityPage) -> [String] { page.entities.map(\.extId) }

    @Test(arguments: [(0, 0), (3, 0), (3, 3), (3, 6), (50, 0), (2, 100), (7, 0)])
    func pagesFollowExtIdOrderAndTotalsCountEverything(limit: Int, offset: Int) throws {
        let store = try seeded()
        let page = try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: limit, offset: offset)
        let all = (1...7).map { "vm-\($0)" }
        #expect(ids(page) == Array(all.dropFirst(offset).prefix(limit)))
        #expect(page.totalCount == 7)
    }

    @Test(arguments: [(1, 0), (1, 2), (2, 0), (10, 0), (10, 1), (0, 0)])
    func filteredTotalsCountMatchesNotThePage(limit: Int, offset: Int) throws {
        let store = try seeded()
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "json_extract(document, '$.powerState') = ?",
            arguments: ["OFF"], limit: limit, offset: offset)
        #expect(ids(page) == Array(["vm-3", "vm-4", "vm-5"].dropFirst(offset).prefix(limit)))
        #expect(page.totalCount == 3)
    }

    @Test func orderByFragmentBreaksTiesOnExtId() throws {
        let store = try seeded()
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm, orderBySQL: "json_extract(document, '$.name') DESC",
            limit: 10)
        #expect(ids(page) == ["vm-5", "vm-6", "vm-7", "vm-3", "vm-4", "vm-2", "vm-1"])
    }

    /// Filtered and ordered pages are read as rowids first, then rows by rowid: each row must come back
    /// whole, with its own columns, at its place in the order, on every page. An ordered page asks for one
    /// row more than it holds: a page that ends the matches exactly, and one past them, must still tell the
    /// total (the first without a count, the second with one).
    @Test(arguments: [(2, 0), (2, 2), (2, 4), (4, 3), (10, 0), (3, 3), (6, 0), (2, 6), (2, 10), (5, 5), (1, 5)])
    func orderedFilteredPagesKeepRowsWholeAndInOrder(limit: Int, offset: Int) throws {
        let store = try seeded()
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "json_extract(document, '$.name') <> ?",
            orderBySQL: "json_extract(document, '$.name') DESC", arguments: ["app"], limit: limit, offset: offset)
        let order = ["vm-5", "vm-6", "vm-7", "vm-3", "vm-4", "vm-2"]
        #expect(ids(page) == Array(order.dropFirst(offset).prefix(limit)))
        #expect(page.totalCount == 6)
        for entity in page.entities {
            #expect(entity.document.contains(#""extId":"\#(entity.extId)""#))
            #expect(entity.kind == Fixture.vm && entity.revision == 1)
        }
    }

    /// `listDocuments` hands over the very documents `list` returns, in its order, with its total, for every
    /// way a page is read (direct, one pass in the default order, ordered with a count or without).
    @Test(arguments: [(3, 0), (3, 3), (2, 6), (10, 0), (0, 0), (1, 100)])
    func listDocumentsMatchesList(limit: Int, offset: Int) throws {
        let store = try seeded()
        let shapes: [(whereSQL: String?, orderBySQL: String?, arguments: [SQLValue], parent: String?)] = [
            (nil, nil, [], nil),
            ("json_extract(document, '$.powerState') = ?", nil, ["OFF"], nil),
            (nil, "json_extract(document, '$.name') DESC", [], nil),
            ("json_extract(document, '$.name') <> ?", "json_extract(document, '$.name')", ["db"], nil),
            ("json_extract(document, '$.name') = ?", nil, ["nothing"], nil),
        ]
        for shape in shapes {
            let kind = Fixture.vm
            let page = try store.list(
                namespace: Fixture.namespace, kind: kind, whereSQL: shape.whereSQL, orderBySQL: shape.orderBySQL,
                arguments: shape.arguments, limit: limit, offset: offset)
            var documents: [String] = []
            var expected: Int?
            let total = try store.listDocuments(
                namespace: Fixture.namespace, kind: kind, whereSQL: shape.whereSQL, orderBySQL: shape.orderBySQL,
                arguments: shape.arguments, limit: limit, offset: offset, expect: { expected = $0 },
                document: { documents.append(String(decoding: $0, as: UTF8.self)) })
            #expect(documents == page.entities.map(\.document), "\(shape)")
            #expect(total == page.totalCount, "\(shape)")
            // The exact page size, so that a caller sizes its buffer once and no bigger than needed.
            #expect((expected ?? 0) == documents.count, "\(shape)")
        }
        var children: [String] = []
        let total = try store.listDocuments(
            namespace: Fixture.namespace, kind: Fixture.disk, parentExtId: "vm-1", whereSQL: "1 = ?", arguments: [1],
            limit: 10, document: { children.append(String(decoding: $0, as: UTF8.self)) })
        #expect(total == 1 && children.count == 1 && children[0].contains("disk-1"))
    }

    /// Beyond `FragmentList.smallKind` rows a filtered page in the default order stops at `limit` and counts
    /// apart (one pass would walk every match); pages and totals must be the same either way, on both sides
    /// of the bound, including the pages at and past the end.
    @Test(arguments: [(FragmentList.smallKind, 5, 0), (FragmentList.smallKind, 5, 30), (FragmentList.smallKind + 40, 5, 0),
                      (FragmentList.smallKind + 40, 50, 10), (FragmentList.smallKind + 40, 7, 49), (FragmentList.smallKind + 40, 3, 60)])
    func filteredPagesAgreeOnBothSidesOfTheSmallKindBound(size: Int, limit: Int, offset: Int) throws {
        let store = try Fixture.store()
        let names = (0..<size).map { String(format: "vm-%03d", $0) }
        try store.write { transaction in
            try transaction.insert(contentsOf: names.enumerated().map { index, extId in
                Fixture.vm(extId, power: index % 3 == 0 ? "OFF" : "ON")
            })
        }
        let off = names.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "json_extract(document, '$.powerState') = ?",
            arguments: ["OFF"], limit: limit, offset: offset)
        #expect(ids(page) == Array(off.dropFirst(offset).prefix(limit)))
        #expect(page.totalCount == off.count)
    }

    /// `smallKindWhereSQL` replaces `whereSQL` for a top-level kind of at most `FragmentList.smallKind` rows
    /// only: not for a larger kind, not for a child list.
    @Test func smallKindFilterIsUsedForSmallKindsOnly() throws {
        let store = try seeded()
        func names(_ kind: String, parent: String? = nil) throws -> [String] {
            var documents: [String] = []
            _ = try store.listDocuments(
                namespace: Fixture.namespace, kind: kind, parentExtId: parent,
                whereSQL: "json_extract(document, '$.powerState') = ?", smallKindWhereSQL: "extId <> ?",
                arguments: ["OFF"], limit: 1_000, document: { documents.append(String(decoding: $0, as: UTF8.self)) })
            return documents
        }
        #expect(try names(Fixture.vm).count == 7)  // the small-kind filter: every extId differs from "OFF"
        #expect(try names(Fixture.disk, parent: "vm-1").isEmpty)  // a child list keeps `whereSQL`
        try store.write { transaction in
            try transaction.insert(contentsOf: (0..<FragmentList.smallKind).map { Fixture.vm("big-\($0)", power: "ON") })
        }
        #expect(try names(Fixture.vm).count == 3)  // now large: `whereSQL`, the three OFF VMs
    }

    @Test func existsOverJsonEachFiltersOnArrays() throws {
        let store = try seeded()
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm,
            whereSQL:
                "EXISTS (SELECT 1 FROM json_each(document, '$.disks') WHERE json_extract(value, '$.sizeBytes') > ?)",
            arguments: [.integer(100)], limit: 10)
        #expect(ids(page) == ["vm-1", "vm-3"])
        #expect(page.totalCount == 2)
    }

    @Test func anOrInTheFragmentCannotEscapeTheKind() throws {
        let store = try seeded()
        let page = try store.list(
            namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "1 = 0 OR json_extract(document, '$.name') = ?",
            arguments: ["web"], limit: 10)
        #expect(ids(page) == ["vm-5", "vm-6", "vm-7"])
    }

    @Test func parentScopeListsChildren() throws {
        let store = try seeded()
        let page = try store.list(namespace: Fixture.namespace, kind: Fixture.disk, parentExtId: "vm-1", limit: 10)
        #expect(ids(page) == ["disk-1"])
        #expect(
            try store.list(namespace: Fixture.namespace, kind: Fixture.disk, parentExtId: "vm-2", limit: 10).totalCount
                == 0)
    }

    @Test func argumentCountMustMatchThePlaceholders() throws {
        let store = try seeded()
        #expect(throws: StoreError.argumentCountMismatch(expected: 1, given: 0)) {
            try store.list(
                namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "json_extract(document, '$.name') = ?",
                limit: 10)
        }
        #expect(throws: StoreError.argumentCountMismatch(expected: 0, given: 1)) {
            try store.list(namespace: Fixture.namespace, kind: Fixture.vm, arguments: ["web"], limit: 10)
        }
    }

    @Test func aSmuggledSecondStatementIsRejected() throws {
        let store = try seeded()
        #expect(throws: SQLiteError.self) {
            try store.write { transaction in
                _ = try transaction.list(
                    namespace: Fixture.namespace, kind: Fixture.vm, whereSQL: "1) LIMIT 1; DELETE FROM entities; --",
                    limit: 10)
            }
        }
        #expect(try Fixture.scannedCount(store) == 7)
    }

    @Test func negativeLimitOrOffsetIsRejected() throws {
        let store = try seeded()
        #expect(throws: StoreError.invalidLimit(-1)) {
            try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: -1)
        }
        #expect(throws: StoreError.invalidLimit(-5)) {
            try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 1, offset: -5)
        }
    }

    @Test func kindCountsAgreeWithAScanAfterEveryKindOfChange() throws {
        let store = try seeded()
        func counts() throws -> (kept: Int, scanned: Int) {
            (
                try store.list(namespace: Fixture.namespace, kind: Fixture.vm, limit: 0).totalCount,
                try Fixture.scannedCount(store)
            )
        }
        #expect(try counts() == (7, 7))
        _ = try store.write {
            try $0.delete(namespace: Fixture.namespace, kind: Fixture.vm, extId: "vm-2", expectedRevision: nil)
        }
        #expect(try counts() == (6, 6))
        try store.saveSnapshot(named: "six")
        try store.reset { try $0.insert(Fixture.vm("only")) }
        #expect(try counts() == (1, 1))
        try store.restoreSnapshot(named: "six")
        #expect(try counts() == (6, 6))
    }
}
