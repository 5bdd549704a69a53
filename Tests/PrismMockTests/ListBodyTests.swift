import OData
import Testing

@testable import PrismMock

/// The list body is written byte by byte; these tests hold it to the string-built envelope it replaced
/// (`Envelope.wrap` of `Envelope.metadata` with links built as `Reference.links` does), for inputs that
/// need escaping, encoding and every combination of paging links.
struct ListBodyTests {
    /// The string-built list answer the byte writer must reproduce.
    enum Reference {
        static func links(
            origin: String, path: String, query: [(name: String, value: String)], page: Int, limit: Int, total: Int
        ) -> [(rel: String, href: String)] {
            var others = ""
            for item in query where item.name != "$page" && item.name != "$limit" {
                others += "&" + FormEncoding.encode(item.name) + "=" + FormEncoding.encode(item.value)
            }
            let base = origin + path + "?"
            func href(_ p: Int) -> String { base + "$page=\(p)&$limit=\(limit)" + others }
            let lastPage = max(0, (total + limit - 1) / limit - 1)
            var links: [(rel: String, href: String)] = [("self", href(page)), ("first", href(0))]
            if page > 0 { links.append(("prev", href(min(page - 1, lastPage)))) }
            if page < lastPage { links.append(("next", href(page + 1))) }
            links.append(("last", href(lastPage)))
            return links
        }

        static func body(
            documents: [String], reserved: Bool, origin: String, path: String, query: [(name: String, value: String)],
            page: Int, limit: Int, total: Int, itemModel: String?, objectType: String?, fv: String
        ) -> String {
            let meta = Envelope.metadata(
                paginated: true, total: total,
                links: links(origin: origin, path: path, query: query, page: page, limit: limit, total: total))
            let extra = itemModel.map { #","$dataItemDiscriminator":"# + JSON.quoted("List<\($0)>") } ?? ""
            let tail = Envelope.wrap(data: nil, metadata: meta, objectType: objectType, fv: fv, extra: extra)
            let items = documents.map { reserved ? Envelope.withReserved($0, fv: fv) : $0 }
            let data = items.isEmpty ? "" : #""data":["# + items.joined(separator: ",") + "],"
            return "{" + data + tail.dropFirst()
        }
    }

    static let models: [(String?, String?)] = [
        ("vmm.v4.ahv.config.Vm", "vmm.v4.ahv.config.ListVmsApiResponse"), (nil, nil), ("a\"b\\c\u{2}é", "x\ny"),
    ]
    static let origins = ["http://127.0.0.1:9440", "https://pc.example:9440", "http://h\"o\\st\u{1}\n\t\r:1", "http://hôte-é:80"]
    static let queries: [[(name: String, value: String)]] = [
        [],
        [("$limit", "50"), ("$filter", "startswith(name,'vm')")],
        [("$page", "2"), ("$select", "name,extId"), ("x y", "a b&c/é~$%\"\\")],
    ]

    @Test(arguments: [(0, 1, 0), (0, 50, 12), (0, 50, 50), (0, 50, 51), (1, 50, 51), (3, 7, 22), (9, 7, 22), (2, 10, 1_000_000)])
    func envelopeEqualsTheStringBuiltOne(page: Int, limit: Int, total: Int) {
        for origin in Self.origins {
            for query in Self.queries {
                for (itemModel, objectType) in Self.models {
                    let path = "/api/vmm/v4.3/ahv/config/vms\u{7f}\"é"
                    let envelope = ListEnvelope(
                        origin: origin, path: Substring(path), query: query, page: page, limit: limit,
                        itemModel: itemModel, objectType: objectType, fv: "v4.r3")
                    var body = ListBody(envelope: envelope, reserved: nil)
                    let built = String(decoding: body.finish(total: total), as: UTF8.self)
                    let expected = Reference.body(
                        documents: [], reserved: false, origin: origin, path: path, query: query, page: page,
                        limit: limit, total: total, itemModel: itemModel, objectType: objectType, fv: "v4.r3")
                    #expect(built == expected)
                    #expect(built.utf8.count <= 1 + envelope.maxCount)
                }
            }
        }
    }

    /// Items get their `$reserved` as `Envelope.withReserved` gives it (or go as they are), whatever their
    /// shape, from bytes or from a string.
    @Test(arguments: [true, false])
    func itemsEqualWithReserved(reserved: Bool) throws {
        let documents = [#"{}"#, #"{"a":1}"#, #"{"name":"vm-é","nested":{"b":[1,{}]}}"#, "[1]", #""x""#, ""]
        let envelope = ListEnvelope(
            origin: "http://h:1", path: "/p", query: [], page: 0, limit: 2, itemModel: nil, objectType: "T", fv: "v1")
        let member = reserved ? Array(Envelope.reservedMember(fv: "v1").utf8) : nil
        var fromBytes = ListBody(envelope: envelope, reserved: member)
        var fromStrings = ListBody(envelope: envelope, reserved: member)
        fromBytes.expect(1)
        for document in documents {
            var text = document
            try text.withUTF8 { try fromBytes.append($0) }
            try fromStrings.append(document)
        }
        let expected = Reference.body(
            documents: documents, reserved: reserved, origin: "http://h:1", path: "/p", query: [], page: 0, limit: 2,
            total: 99, itemModel: nil, objectType: "T", fv: "v1")
        #expect(String(decoding: fromBytes.finish(total: 99), as: UTF8.self) == expected)
        #expect(String(decoding: fromStrings.finish(total: 99), as: UTF8.self) == expected)
    }

    /// `$select` projects each item, from bytes as from strings.
    @Test func projectionAppliesToEveryItem() throws {
        let envelope = ListEnvelope(
            origin: "http://h:1", path: "/p", query: [], page: 0, limit: 5, itemModel: nil, objectType: nil, fv: "v1")
        var body = ListBody(envelope: envelope, reserved: nil, project: { _ in #"{"p":1}"# })
        var text = #"{"a":1,"b":2}"#
        try text.withUTF8 { try body.append($0) }
        try body.append(#"{"c":3}"#)
        #expect(String(decoding: body.finish(total: 2), as: UTF8.self).hasPrefix(#"{"data":[{"p":1},{"p":1}],"#))
    }

    @Test(arguments: ["v1.r0", "v4.r3", "q\"\\\u{1}é"])
    func reservedMemberEqualsEnvelopes(fv: String) {
        #expect(ListEnvelope.reservedMember(fv: fv) == Array(Envelope.reservedMember(fv: fv).utf8))
    }

    @Test(arguments: [0, 7, 10, 99, 100, 12_345, -5, Int.max, Int.min + 1])
    func decimalsAreStringsDigits(n: Int) {
        var out: [UInt8] = Array("x".utf8)
        ListEnvelope.appendDecimal(n, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + String(n))
    }

    @Test func formEncodingKeepsUnreservedAndEncodesTheRest() {
        #expect(FormEncoding.encode("a b&c/é~$-._Z9") == "a+b%26c/%C3%A9~$-._Z9")
        #expect(FormEncoding.encode("startswith(name,'vm')") == "startswith%28name%2C%27vm%27%29")
        #expect(FormEncoding.encode("\u{1}") == "%01")
    }
}
