import EntityStore
import HTTPServer
import OData

/// `If-Match` is required to change an existing entity: PUT, DELETE and `POST …/$actions/…` on
/// an entity without it get 428 (RFC 6585 §3), as real Prism answers PLAT-10004 /
/// MISSING_ETAG_HEADER (real-clients.md §2.2). The comparison itself (stale → 412) happens in
/// the engine, inside the write transaction, where no other write can slip in between.
///
/// A missing entity is the engine's 404, not a 428: the client cannot have an ETag for it.
/// VM devices (`/vms/{vmExtId}/disks/{extId}`…) and guest tools live inside the VM document, so
/// for them the entity is the VM holding them; creating a device, like any create, needs no ETag (the
/// SDKs send none for a body without `$reserved.ETag`).
/// `--lenient-if-match` turns the requirement off for clients that never send the header.
struct Preconditions: Middleware {
    let lenient: Bool
    let store: EntityStore

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        let request = exchange.request
        guard !lenient, request.method == "PUT" || request.method == "DELETE" || request.method == "POST",
            let route = exchange.route, !request.headers.contains("If-Match"),
            // An operation pcmock refuses outright answers its 501 whatever the headers.
            !VmService.notImplemented.contains(route.operation.operationId)
        else { return try next(&exchange) }
        let (operation, role, parameters) = (route.operation, route.role, route.parameters)
        let key: String?
        switch role.kind {
        case _ where role.collection == VmGuestTools.collection: key = parameters["extId"]  // the VM
        case .update, .delete, .action(_, onEntity: true): key = role.itemParameter.flatMap { parameters[$0] }
        case .singletonPut: key = role.parentParameter.flatMap { parameters[$0] } ?? GenericEngine.singletonKey
        default: key = nil
        }
        guard let key, try exists(operation.namespace, role, key, parameters) else { return try next(&exchange) }
        var e = V4Error(
            428, operation.namespace, "MISSING_ETAG_HEADER",
            "\(operation.operationId) changes an existing entity and needs an If-Match header with its "
                + "current ETag (read it with a GET)", detail: 4, arguments: [("extId", key)])
        e.envelopeObjectType = operation.responseModel
        throw e
    }

    private func exists(_ namespace: String, _ role: OperationRole, _ key: String, _ parameters: PathParameters)
        throws -> Bool
    {
        if role.collection == VmGuestTools.collection {
            // Guest tools are a member of the VM document: their ETag is the VM's.
            return try store.get(namespace: namespace, kind: VmPowerStates.collection, extId: key) != nil
        }
        guard let device = VmDevice.forCollection(role.collection) else {
            return try store.get(namespace: namespace, kind: role.collection, extId: key) != nil
        }
        guard let vmId = role.parentParameter.flatMap({ parameters[$0] }),
            let vm = try store.get(namespace: namespace, kind: VmPowerStates.collection, extId: vmId),
            let items = VmDocumentText.member(device.field, in: vm.document).flatMap(VmDocumentText.elements(of:))
        else { return false }
        let quoted = JSON.quoted(key)
        return items.contains { VmDocumentText.member("extId", in: $0) == quoted }
    }
}
