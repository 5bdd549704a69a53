import HTTPServer
import PrismAPI

/// `--self-check` (issue 9 point 6): every answer to a catalog operation is validated against the
/// operation's response model before it leaves, and a mismatch becomes a 500 naming the first
/// problem, so a test run through pcmock fails where pcmock itself breaks the contract instead
/// of where an SDK later trips over it.
struct SelfCheck: Sendable {
    let validator: ResponseValidator

    init(catalog: Catalog) {
        validator = ResponseValidator(catalog: catalog)
    }

    func check(_ response: HTTPResponse, method: String, operation: PrismAPI.Operation) -> HTTPResponse {
        // A HEAD answer has the GET's headers and no body (RFC 9110 §9.3.2); nothing to decode.
        guard method != "HEAD", response.status != 304 else { return response }
        let problems = validator.validate(status: response.status, body: response.body, for: operation)
        guard let first = problems.first else { return response }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        var error = V4Error(
            500, operation.namespace, "SELF_CHECK_FAILED",
            "pcmock's \(response.status) answer to \(operation.operationId) breaks the contract at "
                + "\(first.attributePath): \(first.message)\(more)",
            detail: 99,
            arguments: [("attributePath", first.attributePath), ("status", String(response.status))])
        error.envelopeObjectType = operation.responseModel
        return error.response()
    }
}
