import EntityStore
import Foundation
import OData
import PrismAPI
import Testing

@testable import PrismMock

/// Categories: one per key and value, associations computed from the entities that reference
/// them, and no deleting a category in use.
struct CategoryServiceTests {
    let path = "/api/prism/v4.4/config/categories"

    func category(_ key: String, _ value: String) throws -> String {
        let item = FixtureData.items("prism.config.categories.json").first {
            $0["key"] == .string(key) && $0["value"] == .string(value)
        }
        return try #require(item?["extId"]?.stringValue)
    }

    /// Expected from the fixture files: which VMs and images reference `id`.
    func referencing(_ id: String) -> (vms: Set<String>, images: Set<String>) {
        let vms = FixtureData.items("vmm.ahv.config.vms.json").filter { vm in
            (vm["categories"]?.arrayValue ?? []).contains { $0["extId"] == .string(id) }
        }
        let images = FixtureData.items("vmm.content.images.json").filter { image in
            (image["categoryExtIds"]?.arrayValue ?? []).contains(.string(id))
        }
        return (Set(vms.compactMap { $0["extId"]?.stringValue }), Set(images.compactMap { $0["extId"]?.stringValue }))
    }

    func count(_ app: PrismMockApp) -> Int? {
        app.call("GET", "\(path)?%24limit=1").json.value(atPath: "metadata/totalAvailableResults")?.numberValue.map {
            Int($0)
        }
    }

    @Test func aSecondCategoryWithTheSameKeyAndValueIsAConflictAndNotCreated() throws {
        let app = try TestApp.make()
        let before = count(app)
        let r = app.call("POST", path, body: #"{"key":"Environment","value":"Production"}"#)
        #expect(r.status == 409)
        #expect(r.json.value(atPath: "data/$objectType") == .string("prism.v4.error.ErrorResponse"))
        let message = try #require(r.json.value(atPath: "data/error")?.arrayValue?.first)
        #expect(message["errorGroup"] == .string("CATEGORY_ALREADY_EXISTS"))
        #expect(message["argumentsMap"]?["extId"] == .string(try category("Environment", "Production")))
        #expect(count(app) == before)
        // Same key, new value: fine (and then that pair is taken too).
        #expect(app.call("POST", path, body: #"{"key":"Environment","value":"QA"}"#).status == 201)
        #expect(app.call("POST", path, body: #"{"key":"Environment","value":"QA"}"#).status == 409)
        #expect(count(app) == (before ?? 0) + 1)
    }

    @Test func anUpdateOntoAnExistingKeyAndValueIsAConflictAndChangesNothing() throws {
        let app = try TestApp.make()
        let id = try category("Environment", "Staging")
        let got = app.call("GET", "\(path)/\(id)")
        let etag = try #require(got.header("ETag"))
        let r = app.call(
            "PUT", "\(path)/\(id)", body: #"{"key":"Environment","value":"Production"}"#, headers: [("If-Match", etag)])
        #expect(r.status == 409)
        let after = app.call("GET", "\(path)/\(id)")
        #expect(after.json.value(atPath: "data/value") == .string("Staging"))
        #expect(after.header("ETag") == etag)
        let ok = app.call(
            "PUT", "\(path)/\(id)", body: #"{"key":"Environment","value":"Stage"}"#, headers: [("If-Match", etag)])
        #expect(ok.status == 200)
    }

    @Test func expandAssociationsCountsTheReferencingEntitiesByType() throws {
        let app = try TestApp.make()
        let id = try category("Environment", "Production")
        let expected = referencing(id)
        #expect(!expected.vms.isEmpty && !expected.images.isEmpty)
        let data = app.call("GET", "\(path)/\(id)?%24expand=associations").json["data"]
        let summaries = try #require(data?["associations"]?.arrayValue)
        let byType = Dictionary(
            uniqueKeysWithValues: summaries.compactMap { s -> (String, JSON)? in
                s["resourceType"]?.stringValue.map { ($0, s) }
            })
        #expect(byType["VM"]?["count"] == .int(Int64(expected.vms.count)))
        #expect(byType["IMAGE"]?["count"] == .int(Int64(expected.images.count)))
        for s in summaries {
            #expect(s["$objectType"] == .string("prism.v4.config.AssociationSummary"))
            #expect(s["categoryId"] == .string(id))
            #expect(s["resourceGroup"] == .string("ENTITY"))
        }
        #expect(data?["detailedAssociations"] == nil)
    }

    @Test func expandDetailedAssociationsNamesEachEntity() throws {
        let app = try TestApp.make()
        let id = try category("Department", "Finance")
        let expected = referencing(id)
        let data = app.call("GET", "\(path)/\(id)?%24expand=detailedAssociations").json["data"]
        let details = try #require(data?["detailedAssociations"]?.arrayValue)
        let vms = Set(
            details.filter { $0["resourceType"] == .string("VM") }.compactMap { $0["resourceId"]?.stringValue })
        #expect(vms == expected.vms)
        #expect(details.allSatisfy { $0["$objectType"] == .string("prism.v4.config.AssociationDetail") })
        #expect(data?["associations"] == nil)
    }

    @Test func listsExpandEveryItemAndUnusedCategoriesHaveNoAssociations() throws {
        let app = try TestApp.make()
        let r = app.call("GET", "\(path)?%24expand=associations&%24limit=100")
        #expect(r.status == 200)
        let items = try #require(r.json["data"]?.arrayValue)
        #expect(items.count == FixtureData.items("prism.config.categories.json").count)
        for item in items {
            let id = try #require(item["extId"]?.stringValue)
            let expected = referencing(id)
            let total = (item["associations"]?.arrayValue ?? []).compactMap { $0["count"]?.numberValue }.reduce(0, +)
            #expect(Int(total) == expected.vms.count + expected.images.count, "\(id)")
        }
        // Without $expand nothing is added.
        let plain = app.call("GET", "\(path)?%24limit=100").json["data"]?.arrayValue ?? []
        #expect(plain.allSatisfy { $0["associations"] == nil })
    }

    @Test func aNewReferenceShowsUpInTheAssociations() throws {
        let app = try TestApp.make()
        let created = app.call("POST", path, body: #"{"key":"Tier","value":"Gold"}"#)
        let id = try #require(created.json.value(atPath: "data/extId")?.stringValue)
        #expect(app.call("GET", "\(path)/\(id)?%24expand=associations").json.value(atPath: "data/associations") == nil)
        let image = try #require(FixtureData.items("vmm.content.images.json").first?["extId"]?.stringValue)
        let imagePath = "/api/vmm/v4.3/content/images/\(image)"
        let etag = try #require(app.call("GET", imagePath).header("ETag"))
        let put = app.call(
            "PUT", imagePath, body: #"{"name":"tagged","type":"DISK_IMAGE","categoryExtIds":["\#(id)"]}"#,
            headers: [("If-Match", etag)])
        #expect(put.status == 202)
        let summaries = app.call("GET", "\(path)/\(id)?%24expand=associations").json.value(atPath: "data/associations")
        #expect(summaries?.arrayValue?.count == 1)
        #expect(summaries?.arrayValue?.first?["resourceType"] == .string("IMAGE"))
        #expect(summaries?.arrayValue?.first?["count"] == .int(1))
    }

    @Test func aCategoryInUseCannotBeDeleted() throws {
        let app = try TestApp.make()
        let id = try category("AppType", "Web")
        #expect(!referencing(id).vms.isEmpty)
        let etag = try #require(app.call("GET", "\(path)/\(id)").header("ETag"))
        let r = app.call("DELETE", "\(path)/\(id)", headers: [("If-Match", etag)])
        #expect(r.status == 409)
        let message = try #require(r.json.value(atPath: "data/error")?.arrayValue?.first)
        #expect(message["errorGroup"] == .string("CATEGORY_IN_USE"))
        #expect(app.call("GET", "\(path)/\(id)").status == 200)
    }

    @Test func anUnusedCategoryIsDeleted() throws {
        let app = try TestApp.make()
        let unused = FixtureData.items("prism.config.categories.json").compactMap { $0["extId"]?.stringValue }
            .first { id in
                let r = referencing(id)
                return r.vms.isEmpty && r.images.isEmpty
            }
        let id = try #require(unused)
        let etag = try #require(app.call("GET", "\(path)/\(id)").header("ETag"))
        #expect(app.call("DELETE", "\(path)/\(id)", headers: [("If-Match", etag)]).status == 204)
        #expect(app.call("GET", "\(path)/\(id)").status == 404)
    }

    @Test func anUnknownExpandIsA400() throws {
        let app = try TestApp.make()
        #expect(app.call("GET", "\(path)?%24expand=owners").status == 400)
        let id = try category("Environment", "Dev")
        #expect(app.call("GET", "\(path)/\(id)?%24expand=owners").status == 400)
        #expect(app.call("GET", "\(path)/\(id)?%24expand=associations%2Cowners").status == 400)
        #expect(app.call("GET", "\(path)/\(id)?%24expand=").status == 200)
    }
}

/// The two ways of finding associations (SQL lookup for a few categories, one parsing pass for
/// many) agree on every category of the fixtures and on unknown ones.
struct CategoryAssociationsTests {
    @Test func lookupAndScanAgree() throws {
        let app = try TestApp.make()
        let ids =
            FixtureData.items("prism.config.categories.json").compactMap { $0["extId"]?.stringValue }
            + ["00000000-0000-4000-8000-00000000feed"]
        let everything = try app.store.read { view in
            try CategoryAssociations.scan(nil) { ns, kind, whereSQL, arguments in
                try view.list(namespace: ns, kind: kind, whereSQL: whereSQL, arguments: arguments, limit: 10_000)
                    .entities
            }
        }
        #expect(everything.count >= 20)
        for id in ids {
            let (lookedUp, scanned) = try app.store.read { view in
                let list: (String, String, String, [SQLValue]) throws -> [StoredEntity] = {
                    ns, kind, whereSQL, arguments in
                    try view.list(namespace: ns, kind: kind, whereSQL: whereSQL, arguments: arguments, limit: 10_000)
                        .entities
                }
                return (
                    try CategoryAssociations.lookUp([id], list: list), try CategoryAssociations.scan([id], list: list)
                )
            }
            #expect(lookedUp == scanned, "\(id)")
            #expect(scanned == everything.filter { $0.categoryExtId == id })
        }
    }
}
