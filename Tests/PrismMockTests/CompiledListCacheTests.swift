import OData
import Testing

@testable import PrismMock

/// The compiled list queries: bounded, least recently used out first, and never a query whose meaning
/// depends on when it is parsed.
struct CompiledListCacheTests {
    func key(_ filter: String?, orderby: String? = nil) -> CompiledListCache.Key {
        CompiledListCache.Key(
            operation: "vmm:listVms", filter: filter, orderby: orderby, select: nil, expand: nil, page: nil,
            limit: "50", rowid: "entities.rowid", hotColumns: ["name": "h0"], elements: [:])
    }

    func compiled(_ whereSQL: String) throws -> CompiledListCache.Compiled {
        CompiledListCache.Compiled(
            odata: try ODataQuery.parse(catalog: FieldCatalog()), whereSQL: whereSQL, orderBySQL: nil,
            arguments: [], needsEvaluator: false)
    }

    @Test func aHitIsTheEntryOfItsKeyOnly() throws {
        let cache = CompiledListCache()
        cache.store(try compiled("a"), for: key("name eq 'a'"))
        #expect(cache.lookup(key("name eq 'a'"))?.whereSQL == "a")
        #expect(cache.lookup(key("name eq 'b'")) == nil)
        #expect(cache.lookup(key("name eq 'a'", orderby: "name")) == nil)
        var otherSide = key("name eq 'a'")
        otherSide.hotColumns = ["name": "h1"]
        #expect(cache.lookup(otherSide) == nil)
    }

    @Test func theLeastRecentlyUsedEntryLeavesFirst() throws {
        let cache = CompiledListCache()
        for i in 0..<CompiledListCache.capacity { cache.store(try compiled("\(i)"), for: key("f\(i)")) }
        #expect(cache.lookup(key("f0"))?.whereSQL == "0")  // f1 is now the oldest
        cache.store(try compiled("new"), for: key("new"))
        #expect(cache.count == CompiledListCache.capacity)
        #expect(cache.lookup(key("f1")) == nil)
        #expect(cache.lookup(key("f0"))?.whereSQL == "0")
        #expect(cache.lookup(key("f2"))?.whereSQL == "2")
        #expect(cache.lookup(key("new"))?.whereSQL == "new")
    }

    @Test func queriesThatMayReadTheClockAreNotKept() {
        #expect(!CompiledListCache.cacheable(key("createTime lt now()")))
        #expect(!CompiledListCache.cacheable(key(nil, orderby: "NOW()")))
        #expect(!CompiledListCache.cacheable(key("createTime gt nOw ()")))
        #expect(CompiledListCache.cacheable(key("startswith(name,'vm')", orderby: "name desc")))
        #expect(CompiledListCache.cacheable(key(nil)))
    }
}
