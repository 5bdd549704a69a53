import EntityStore
import HTTPServer

/// `If-Match` is required to change an existing entity: PUT, DELETE and `POST …/$actions/…` on
/// an entity without it get 428 (RFC 6585 §3), as real Prism answers PLAT-10004 /
/// MISSING_ETAG_HEADER (real-clients.md §2.2). The comparison itself (stale → 412) happens in
/// the engine, inside the write transaction, where no other write can slip in between.
///
/// A missing entity is the engine's 404, not a 428: the client cannot have an ETag for it.
/// `--lenient-if-match` turns the requirement off for clients that never send the header.
struct Preconditions: Middleware {
    let lenient: Bool
    let store: EntityStore

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        let request = exchange.request
        guard !lenient, request.method == "PUT" || request.method == "DELETE" || request.method == "POST",
            let route = exchange.route, !request.headers.contains("If-Match")
        else { return try next(&exchange) }
        let (operation, role, parameters) = (route.operation, route.role, route.parameters)
        let key: String?
        switch role.kind {
        case .update, .delete, .action(_, onEntity: true): key = role.itemParameter.flatMap { parameters[$0] }
        case .singletonPut: key = role.parentParameter.flatMap { parameters[$0] } ?? GenericEngine.singletonKey
        default: key = nil
        }
        guard let key, try store.get(namespace: operation.namespace, kind: role.collection, extId: key) != nil else {
            return try next(&exchange)
        }
        var e = V4Error(
            428, operation.namespace, "MISSING_ETAG_HEADER",
            "\(operation.operationId) changes an existing entity and needs an If-Match header with its "
                + "current ETag (read it with a GET)", detail: 4, arguments: [("extId", key)])
        e.envelopeObjectType = operation.responseModel
        throw e
    }
}
