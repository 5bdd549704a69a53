import OData
import PrismAPI

/// Response envelopes as the v4 SDKs decode them (sdk-contract.md "Sample envelopes"). Built by
/// splicing stored document text: the request path never parses and re-serializes a document
/// it only passes through.
enum Envelope {
    static let commonFV = "v1.r0"

    /// A stored document (compact JSON object text without a top-level `$reserved`) with its
    /// `$reserved` added, carrying the ETag when given.
    static func withReserved(_ document: String, fv: String, etag: String? = nil) -> String {
        let reserved = reservedMember(fv: fv, etag: etag)
        // Byte-level on purpose: Character-level `dropLast` walks grapheme breaks over the whole
        // document and was the top symbol of a GET profile.
        let utf8 = document.utf8
        guard utf8.last == UInt8(ascii: "}") else { return document }
        let head = Substring(utf8.dropLast())
        var out = String()
        out.reserveCapacity(utf8.count + reserved.utf8.count + 2)
        out += head
        if head.utf8.count > 1 { out += "," }
        out += reserved
        out += "}"
        return out
    }

    /// `"$reserved":{"$fv":…}`, the member `withReserved` adds.
    static func reservedMember(fv: String, etag: String? = nil) -> String {
        var reserved = #""$reserved":{"$fv":"# + JSON.quoted(fv)
        if let etag { reserved += #","ETag":"# + JSON.quoted(etag) }
        reserved += "}"
        return reserved
    }

    /// `withReserved(document, fv:)` appended to a response body, with `reserved` from
    /// `reservedMember(fv:)`: the document's bytes are copied once.
    static func append(_ document: String, reserved: [UInt8], to out: inout [UInt8]) {
        var text = document
        text.withUTF8 { bytes in
            guard let last = bytes.last, last == UInt8(ascii: "}") else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes.dropLast()))
            if bytes.count > 2 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: reserved)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func flag(_ name: String, _ value: Bool) -> String {
        #"{"name":"# + JSON.quoted(name) + #","value":"# + (value ? "true" : "false")
            + #","$objectType":"common.v1.config.Flag","$reserved":{"$fv":"v1.r0"}}"#
    }

    static func metadata(paginated: Bool, total: Int? = nil, links: [(rel: String, href: String)] = []) -> String {
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
        if let data { out += #""data":"# + data + "," }
        out += #""metadata":"# + metadata
        out += extra
        if let objectType { out += #","$objectType":"# + JSON.quoted(objectType) }
        out += #","$reserved":{"$fv":"# + JSON.quoted(fv) + "}}"
        return out
    }

    static func taskReference(_ taskExtId: String) -> String {
        #"{"extId":"# + JSON.quoted(taskExtId)
            + #","$objectType":"prism.v4.config.TaskReference","$reserved":{"$fv":"v4.r4"}}"#
    }
}
