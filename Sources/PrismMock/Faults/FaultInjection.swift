import HTTPServer
import PrismAPI

/// Applies the fault rules to v4 requests (never to `/_pcmock/`), right after error mapping:
/// an injected status answers instead of the request (with `Retry-After` when asked, which the
/// SDKs honour on 429/503); `failTask` lets the request run and marks its task to fail;
/// `dropConnection` closes the connection with no answer instead (a batch item, which has no
/// connection of its own, gets the 503 that stands for it); `latencyMs` delays whatever answer
/// (or drop) goes out without holding an event loop.
struct FaultInjection: Middleware {
    let rules: FaultRules

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard !exchange.isAdmin, let rule = rules.match(method: exchange.request.method, path: exchange.request.path)
        else { return try next(&exchange) }
        let ns = V4Error.namespace(ofPath: exchange.request.path)
        var response: HTTPResponse
        if rule.dropConnection {
            response = V4Error(
                503, ns, "INJECTED_FAULT", rule.message ?? "Injected fault \(rule.id): connection dropped",
                arguments: [("faultId", rule.id)]
            ).response()
            response.dropConnection = true
        } else if let status = rule.status {
            var e = V4Error(
                status, ns, "INJECTED_FAULT", rule.message ?? "Injected fault \(rule.id) (HTTP \(status))",
                arguments: [("faultId", rule.id)])
            if let s = rule.retryAfterSeconds { e.extraHeaders.set("Retry-After", String(s)) }
            response = e.response()
        } else {
            if rule.failTask {
                exchange.taskFault = TaskFault(
                    message: .error(
                        ns, 500, 90, "INJECTED_TASK_FAILURE",
                        rule.message ?? "Injected task failure (fault \(rule.id))",
                        [("faultId", rule.id)]))
            }
            response = try next(&exchange)
        }
        if rule.latencyMs > 0 { response.delay = .milliseconds(rule.latencyMs) }
        return response
    }
}
