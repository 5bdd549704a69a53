import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// A v4 error as Prism Central sends it: the operation's envelope whose `data` is
/// `<ns>.v4.error.ErrorResponse`, holding `AppMessage` items or one `SchemaValidationError`
/// (sdk-contract.md §e and "Sample envelopes"). The namespace comes from the request so each
/// SDK decodes the error with its own models.
struct V4Error: Error, Sendable {
    var status: Int
    var message: String
    var code: String
    var errorGroup: String
    var namespace: String = "prism"
    var arguments: [(String, String)] = []
    var extraHeaders: HTTPHeaders = HTTPHeaders()
    /// The operation's response model, used as the envelope's `$objectType` when known.
    var envelopeObjectType: String? = nil
    /// Body validation problems: sent as a `SchemaValidationError` instead of `AppMessage`s.
    var validation: (path: String, problems: [ValidationProblem])? = nil

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
        if parts.count >= 2, parts[0] == "api", parts[1].allSatisfy({ $0.isLetter && $0.isASCII }) {
            return String(parts[1])
        }
        return "prism"
    }

    func response() -> HTTPResponse {
        let ns = namespace
        let fv = JSON.quoted(V4Error.formatVersion(ns))
        let errorField: String
        if let validation {
            var items = ""
            for (i, p) in validation.problems.enumerated() {
                if i > 0 { items += "," }
                items += #"{"location":"body","message":"# + JSON.quoted(p.message) + #","attributePath":"#
                    + JSON.quoted(p.attributePath) + #","$objectType":"\#(ns).v4.error.SchemaValidationErrorMessage","#
                    + #""$reserved":{"$fv":\#(fv)}}"#
            }
            errorField = #"{"timestamp":"# + JSON.quoted(Timestamp.rfc3339(Date())) + #","statusCode":\#(status),"#
                + #""error":"# + JSON.quoted(reasonPhrase(status)) + #","path":"# + JSON.quoted(validation.path)
                + #","validationErrorMessages":[\#(items)],"$objectType":"\#(ns).v4.error.SchemaValidationError","#
                + #""$reserved":{"$fv":\#(fv)}}"#
        } else {
            var args = "{"
            for (i, (k, v)) in arguments.enumerated() {
                if i > 0 { args += "," }
                args += JSON.quoted(k) + ":" + JSON.quoted(v)
            }
            args += "}"
            errorField = #"[{"message":"# + JSON.quoted(message) + #","severity":"ERROR","code":"# + JSON.quoted(code)
                + #","locale":"en_US","errorGroup":"# + JSON.quoted(errorGroup) + #","argumentsMap":"# + args
                + #","$objectType":"\#(ns).v4.error.AppMessage","$reserved":{"$fv":\#(fv)}}],"#
                + #""$errorItemDiscriminator":"List<\#(ns).v4.error.AppMessage>""#
        }
        let envelopeType = envelopeObjectType ?? "\(ns).v4.error.ErrorResponse"
        let body = #"{"data":{"error":"# + errorField
            + #","$objectType":"\#(ns).v4.error.ErrorResponse","$reserved":{"$fv":\#(fv)}},"#
            + #""$objectType":"# + JSON.quoted(envelopeType) + #","$reserved":{"$fv":\#(fv)}}"#
        return .json(status, body, headers: extraHeaders)
    }
}

extension V4Error {
    /// Codes follow Prism's `<NAMESPACE>-<status><nn>` shape (`VMM-40401`).
    init(_ status: Int, _ namespace: String, _ group: String, _ message: String, detail: Int = 0,
         arguments: [(String, String)] = []) {
        let code = "\(namespace.uppercased())-\(status)\(detail < 10 ? "0" : "")\(detail)"
        self.init(status: status, message: message, code: code, errorGroup: group, namespace: namespace,
                  arguments: arguments)
    }

    static func notFound(path: Substring) -> V4Error {
        let ns = namespace(ofPath: path)
        return V4Error(404, ns, "RESOURCE_NOT_FOUND", "No resource at \(path)", arguments: [("path", String(path))])
    }

    static func entityNotFound(_ ns: String, what: String, extId: String) -> V4Error {
        V4Error(404, ns, "ENTITY_NOT_FOUND", "\(what) \(extId) not found", detail: 1, arguments: [("extId", extId)])
    }

    static func methodNotAllowed(path: Substring, allow: [String]) -> V4Error {
        let ns = namespace(ofPath: path)
        var e = V4Error(405, ns, "METHOD_NOT_ALLOWED",
                        "Method not allowed on \(path); allowed: \(allow.joined(separator: ", "))")
        e.extraHeaders.add("Allow", allow.joined(separator: ", "))
        return e
    }

    static func badRequest(_ ns: String, _ message: String, group: String = "INVALID_REQUEST") -> V4Error {
        V4Error(400, ns, group, message)
    }

    static func notImplemented(_ ns: String, _ message: String) -> V4Error {
        V4Error(501, ns, "NOT_IMPLEMENTED", message)
    }

    static func schema(_ ns: String, path: String, _ problems: [ValidationProblem]) -> V4Error {
        var e = V4Error(400, ns, "SCHEMA_VALIDATION_FAILED", problems.first?.message ?? "invalid body")
        e.validation = (path, problems)
        return e
    }

    /// Errors the HTTP layer generates itself (framing, limits, timeouts).
    static func transport(status: Int, message: String) -> V4Error {
        V4Error(status, "prism", "HTTP_\(status)", message)
    }

    static func internalError(_ ns: String, requestId: String?, _ detail: String) -> V4Error {
        V4Error(500, ns, "INTERNAL_ERROR",
                "Internal error\(requestId.map { " for request \($0)" } ?? ""): \(detail)")
    }
}
