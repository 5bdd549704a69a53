import HTTPServer
import PrismAPI

/// A v4 error as Prism Central sends it: `<ns>.v4.error.ErrorResponse` holding `AppMessage` items
/// (sdk-contract.md, "Sample envelopes"). The namespace comes from the request path so each SDK
/// decodes the error into its own `ErrorResponse` model.
struct V4Error: Error, Sendable {
    var status: Int
    var message: String
    var code: String
    var errorGroup: String
    var namespace: String = "prism"
    var arguments: [(String, String)] = []
    var extraHeaders: HTTPHeaders = HTTPHeaders()

    /// `$fv` per namespace as the newest SDK models carry it (sdk-contract.md).
    static func formatVersion(_ namespace: String) -> String {
        switch namespace {
        case "prism", "networking", "dataprotection", "licensing": "v4.r4"
        case "security": "v4.r2"
        case "objects": "v4.r1"
        case "iam", "files", "aiops", "opsmgmt": "v4.r0"
        default: "v4.r3"
        }
    }

    /// The namespace segment of `/api/<ns>/…`, or prism for anything else.
    static func namespace(ofPath path: Substring) -> String {
        let parts = path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true)
        if parts.count >= 2, parts[0] == "api", parts[1].allSatisfy({ $0.isLetter }) {
            return String(parts[1])
        }
        return "prism"
    }

    func response() -> HTTPResponse {
        let fv = JSON.quoted(V4Error.formatVersion(namespace))
        let ns = namespace
        var args = "{"
        for (i, (k, v)) in arguments.enumerated() {
            if i > 0 { args += "," }
            args += JSON.quoted(k) + ":" + JSON.quoted(v)
        }
        args += "}"
        let item = """
            {"message":\(JSON.quoted(message)),"severity":"ERROR","code":\(JSON.quoted(code)),\
            "locale":"en_US","errorGroup":\(JSON.quoted(errorGroup)),"argumentsMap":\(args),\
            "$objectType":"\(ns).v4.error.AppMessage","$reserved":{"$fv":\(fv)}}
            """
        let body = """
            {"data":{"error":[\(item)],"$errorItemDiscriminator":"List<\(ns).v4.error.AppMessage>",\
            "$objectType":"\(ns).v4.error.ErrorResponse","$reserved":{"$fv":\(fv)}},\
            "$objectType":"\(ns).v4.error.ErrorResponse","$reserved":{"$fv":\(fv)}}
            """
        return .json(status, body, headers: extraHeaders)
    }
}

extension V4Error {
    static func notFound(path: Substring) -> V4Error {
        let ns = namespace(ofPath: path)
        return V4Error(
            status: 404, message: "No resource at \(path)", code: "\(ns.uppercased())-40400",
            errorGroup: "RESOURCE_NOT_FOUND", namespace: ns, arguments: [("path", String(path))])
    }

    /// Errors the HTTP layer generates itself (framing, limits, timeouts).
    static func transport(status: Int, message: String) -> V4Error {
        V4Error(
            status: status, message: message, code: "PRISM-\(status)00",
            errorGroup: "HTTP_\(status)", namespace: "prism")
    }
}
