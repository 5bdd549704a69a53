import OData

/// What follows a list's `data`: `"metadata":{…}` with the total, the flags and the paging links, then
/// `$dataItemDiscriminator`, `$objectType` and `$reserved`, the same bytes as `Envelope.wrap` of
/// `Envelope.metadata(paginated: true, total:, links:)` with the five paging links, written straight into the body.
///
/// Everything but the total and the page numbers is fixed per request, so the links share one escaped
/// prefix (`origin + path + "?"`) and one encoded suffix (the other query options).
struct ListEnvelope {
    /// `http://host:port/path?`, JSON-escaped.
    var base: [UInt8]
    /// `&name=value…` of the query options other than `$page`/`$limit`, form-encoded (nothing to escape).
    var others: [UInt8]
    var page: Int
    var limit: Int
    /// `,"$dataItemDiscriminator":…,"$objectType":…,"$reserved":{…}}`: everything after `metadata`.
    var closing: [UInt8]

    init(origin: String, path: Substring, query: [(name: String, value: String)], page: Int, limit: Int,
         itemModel: String?, objectType: String?, fv: String) {
        base = []
        base.reserveCapacity(origin.utf8.count + path.utf8.count + 1)
        ListEnvelope.appendEscaped(origin, to: &base)
        ListEnvelope.appendEscaped(path, to: &base)
        base.append(UInt8(ascii: "?"))
        others = []
        for item in query where item.name != "$page" && item.name != "$limit" {
            others.append(UInt8(ascii: "&"))
            FormEncoding.encode(item.name, to: &others)
            others.append(UInt8(ascii: "="))
            FormEncoding.encode(item.value, to: &others)
        }
        self.page = page
        self.limit = limit
        // Bytes, not `JSON.quoted` pieces joined as strings: this runs on every list request.
        closing = []
        if let itemModel {
            closing.append(contentsOf: #","$dataItemDiscriminator":"List<"#.utf8)
            ListEnvelope.appendEscaped(itemModel, to: &closing)
            closing.append(contentsOf: #">""#.utf8)
        }
        if let objectType {
            closing.append(contentsOf: #","$objectType":""#.utf8)
            ListEnvelope.appendEscaped(objectType, to: &closing)
            closing.append(UInt8(ascii: "\""))
        }
        closing.append(contentsOf: #","$reserved":{"$fv":""#.utf8)
        ListEnvelope.appendEscaped(fv, to: &closing)
        closing.append(contentsOf: #""}}"#.utf8)
    }

    /// `Envelope.reservedMember(fv:)` as bytes.
    static func reservedMember(fv: String) -> [UInt8] {
        var member = Array(#""$reserved":{"$fv":""#.utf8)
        appendEscaped(fv, to: &member)
        member.append(contentsOf: #""}"#.utf8)
        return member
    }

    private static let metadataOpen = Array(#""metadata":{"totalAvailableResults":"#.utf8)
    private static let flags = Array(
        (#","flags":["# + Envelope.flag("hasError", false) + "," + Envelope.flag("isPaginated", true) + "]").utf8)
    private static let linksOpen = Array(#","links":["#.utf8)
    private static let hrefOpen = Array(#"{"href":""#.utf8)
    private static let pageParameter = Array("$page=".utf8)
    private static let limitParameter = Array("&$limit=".utf8)
    private static let relOpen = Array(#"","rel":""#.utf8)
    private static let linkClose = Array(
        #"","$objectType":"common.v1.response.ApiLink","$reserved":{"$fv":"v1.r0"}}"#.utf8)
    private static let metadataClose = Array(
        #"],"$objectType":"common.v1.response.ApiResponseMetadata","$reserved":{"$fv":"v1.r0"}}"#.utf8)

    /// An upper bound of `append`'s bytes, so that the body is sized once with room for it.
    var maxCount: Int {
        let link = ListEnvelope.hrefOpen.count + base.count + ListEnvelope.pageParameter.count
            + ListEnvelope.limitParameter.count + 2 * 20 + others.count + ListEnvelope.relOpen.count + 5
            + ListEnvelope.linkClose.count + 1
        return ListEnvelope.metadataOpen.count + 20 + ListEnvelope.flags.count + ListEnvelope.linksOpen.count
            + 5 * link + ListEnvelope.metadataClose.count + closing.count
    }

    /// Appends the envelope after `{` or after `"data":[…],`.
    func append(total: Int, to out: inout [UInt8]) {
        out.append(contentsOf: ListEnvelope.metadataOpen)
        ListEnvelope.appendDecimal(total, to: &out)
        out.append(contentsOf: ListEnvelope.flags)
        out.append(contentsOf: ListEnvelope.linksOpen)
        let lastPage = max(0, (total + limit - 1) / limit - 1)
        link("self", page, to: &out)
        out.append(UInt8(ascii: ","))
        link("first", 0, to: &out)
        if page > 0 {
            out.append(UInt8(ascii: ","))
            link("prev", min(page - 1, lastPage), to: &out)
        }
        if page < lastPage {
            out.append(UInt8(ascii: ","))
            link("next", page + 1, to: &out)
        }
        out.append(UInt8(ascii: ","))
        link("last", lastPage, to: &out)
        out.append(contentsOf: ListEnvelope.metadataClose)
        out.append(contentsOf: closing)
    }

    private func link(_ rel: StaticString, _ page: Int, to out: inout [UInt8]) {
        out.append(contentsOf: ListEnvelope.hrefOpen)
        out.append(contentsOf: base)
        out.append(contentsOf: ListEnvelope.pageParameter)
        ListEnvelope.appendDecimal(page, to: &out)
        out.append(contentsOf: ListEnvelope.limitParameter)
        ListEnvelope.appendDecimal(limit, to: &out)
        out.append(contentsOf: others)
        out.append(contentsOf: ListEnvelope.relOpen)
        out.append(contentsOf: UnsafeBufferPointer(start: rel.utf8Start, count: rel.utf8CodeUnitCount))
        out.append(contentsOf: ListEnvelope.linkClose)
    }

    /// `String(n)`'s digits, without the temporary string.
    static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var rest = n.magnitude
        var width = 1
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        let end = out.count + width
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        rest = n.magnitude
        for index in stride(from: end - 1, through: end - width, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// `JSON.writeString`'s escaping without the quotes (`JSON.appendEscaped`).
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { JSON.appendEscaped($0, to: &out) }
    }

    static func appendEscaped(_ text: Substring, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { JSON.appendEscaped($0, to: &out) }
    }
}
