import OData
import PrismAPI

/// A `prism.v4.operations.BatchSpec` body (sdk-contract.md §h) turned into the requests its items
/// stand for. The body has already passed the model's validation (required fields, enum,
/// `chunkSize ≥ 1`, the `uri` pattern).
struct BatchRequest {
    static let maxItems = 500

    struct Item {
        var data: JSON?
        var headers: [(name: String, value: String)]
        var path: [String: String]
    }

    var action: String
    var name: String
    var uri: String
    var shouldStopOnError: Bool
    var chunkSize: Int
    var items: [Item]

    var method: String {
        switch action {
        case "MODIFY": "PUT"
        case "DELETE": "DELETE"
        default: "POST"
        }
    }

    init(_ body: JSONObject, path: String) throws {
        let meta = body["metadata"]
        action = meta?["action"]?.stringValue ?? ""
        name = meta?["name"]?.stringValue ?? ""
        uri = meta?["uri"]?.stringValue ?? ""
        shouldStopOnError = meta?["shouldStopOnError"]?.boolValue ?? false
        chunkSize = max(1, Int(meta?["chunkSize"]?.numberValue ?? 1))
        guard ["CREATE", "MODIFY", "DELETE", "ACTION"].contains(action) else {
            throw V4Error.schema(
                "prism", path: path,
                [.init(attributePath: "metadata.action", message: "must be CREATE, MODIFY, DELETE or ACTION")])
        }
        guard uri.hasPrefix("/api/") else {
            throw V4Error.schema(
                "prism", path: path, [.init(attributePath: "metadata.uri", message: "must be an /api/ path")])
        }
        let payload = body["payload"]?.arrayValue ?? []
        guard !payload.isEmpty, payload.count <= BatchRequest.maxItems else {
            throw V4Error.schema(
                "prism", path: path,
                [
                    .init(
                        attributePath: "payload",
                        message: "a batch holds 1 to \(BatchRequest.maxItems) items, got \(payload.count)")
                ])
        }
        items = payload.map { p in
            var headers: [(String, String)] = []
            for h in p["metadata"]?["headers"]?.arrayValue ?? [] {
                if let n = h["name"]?.stringValue, let v = h["value"]?.stringValue { headers.append((n, v)) }
            }
            var params: [String: String] = [:]
            for h in p["metadata"]?["path"]?.arrayValue ?? [] {
                if let n = h["name"]?.stringValue, let v = h["value"]?.stringValue { params[n] = v }
            }
            return Item(data: p["data"], headers: headers, path: params)
        }
    }

    /// The item's path: `{placeholders}` filled from its `metadata.path`, each value
    /// percent-encoded as one segment (RFC 3986 §3.3), the way the SDKs send path parameters.
    /// Returns the missing parameter's name on failure.
    func target(for item: Item) -> Result<String, MissingParameter> {
        var out = ""
        var rest = Substring(uri)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            out += rest[..<open]
            let key = String(rest[rest.index(after: open)..<close])
            guard let value = item.path[key] else { return .failure(MissingParameter(name: key)) }
            out += BatchRequest.encodeSegment(value)
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return .success(out)
    }

    struct MissingParameter: Error {
        var name: String
    }

    static func encodeSegment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
