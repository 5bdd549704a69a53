import OData
import PrismAPI

/// Response envelopes as the v4 SDKs decode them (sdk-contract.md "Sample envelopes"). Built by
/// splicing stored document text: the request path never parses and re-serializes a document
/// it only passes through.
enum Envelope {
    static let commonFV = "v1.r0"
    /// GET by id answers, built once per entity revision (see `EntityBodyCache`).
    static let entityBodies = EntityBodyCache()

    /// A stored document (compact JSON object text without a top-level `$reserved`) with its
    /// `$reserved` added, carrying the ETag when given.
    static func withReserved(_ document: String, fv: String, etag: String? = nil) -> String {
        let reservedCount = 24 + fv.utf8.count + (etag.map { $0.utf8.count + 12 } ?? 0)
        // Byte-level on purpose: Character-level `dropLast` walks grapheme breaks over the whole
        // document and was the top symbol of a GET profile.
        let utf8 = document.utf8
        guard utf8.last == UInt8(ascii: "}") else { return document }
        let head = Substring(utf8.dropLast())
        var out = String()
        out.reserveCapacity(utf8.count + reservedCount)
        out += head
        if head.utf8.count > 1 { out += "," }
        out += #""$reserved":{"$fv":"#
        appendQuoted(fv, to: &out)
        if let etag {
            out += #","ETag":"#
            appendQuoted(etag, to: &out)
        }
        out += "}}"
        return out
    }

    /// A JSON string literal appended in place (no temporary string per name, as `quoted` makes).
    static func appendQuoted(_ text: String, to out: inout String) {
        JSON.writeString(text, to: &out)
    }

    /// `"$reserved":{"$fv":…}`, the member `withReserved` adds.
    static func reservedMember(fv: String, etag: String? = nil) -> String {
        var reserved = #""$reserved":{"$fv":"# + JSON.quoted(fv)
        if let etag { reserved += #","ETag":"# + JSON.quoted(etag) }
        reserved += "}"
        return reserved
    }

    static func flag(_ name: String, _ value: Bool) -> String {
        #"{"name":"# + JSON.quoted(name) + #","value":"# + (value ? "true" : "false")
            + #","$objectType":"common.v1.config.Flag","$reserved":{"$fv":"v1.r0"}}"#
    }

    /// The metadata of every single-entity answer, built once.
    private static let plainMetadata = (build(paginated: false, total: nil, links: []), build(paginated: true, total: nil, links: []))

    static func metadata(paginated: Bool, total: Int? = nil, links: [(rel: String, href: String)] = []) -> String {
        if total == nil && links.isEmpty { return paginated ? plainMetadata.1 : plainMetadata.0 }
        return build(paginated: paginated, total: total, links: links)
    }

    private static func build(paginated: Bool, total: Int?, links: [(rel: String, href: String)]) -> String {
        var out = "{"
        if let total { out += #""totalAvailableResults":\#(total),"# }
        out += #""flags":["# + flag("hasError", false) + "," + flag("isPaginated", paginated) + "]"
        if !links.isEmpty {
            out += #","links":["#
            for (i, link) in links.enumerated() {
                if i > 0 { out += "," }
                out += #"{"href":"# + JSON.quoted(link.href) + #","rel":"# + JSON.quoted(link.rel)
                    + #","$objectType":"common.v1.response.ApiLink","$reserved":{"$fv":"v1.r0"}}"#
            }
            out += "]"
        }
        out += #","$objectType":"common.v1.response.ApiResponseMetadata","$reserved":{"$fv":"v1.r0"}}"#
        return out
    }

    /// `{"data":…,"metadata":…,"$objectType":<response model>,"$reserved":{"$fv":…}}`.
    static func wrap(data: String?, metadata: String, objectType: String?, fv: String, extra: String = "") -> String {
        var out = "{"
        // One buffer of the final size: the data is most of it, often kilobytes.
        out.reserveCapacity(
            (data?.utf8.count ?? 0) + metadata.utf8.count + extra.utf8.count + (objectType?.utf8.count ?? 0) + 64)
        if let data {
            out += #""data":"#
            out += data
            out += ","
        }
        out += #""metadata":"#
        out += metadata
        out += extra
        if let objectType {
            out += #","$objectType":"#
            appendQuoted(objectType, to: &out)
        }
        out += #","$reserved":{"$fv":"#
        appendQuoted(fv, to: &out)
        out += "}}"
        return out
    }

    static func taskReference(_ taskExtId: String) -> String {
        #"{"extId":"# + JSON.quoted(taskExtId)
            + #","$objectType":"prism.v4.config.TaskReference","$reserved":{"$fv":"v4.r4"}}"#
    }
}
