import EntityStore
import FoundationEssentials
import HTTPServer
import PrismAPI

@testable import PrismMock

/// Builds one minimal valid request per catalog operation for the contract sweep: path
/// parameters from stored entities where the collection has some (parents taken from the
/// entity itself), random UUIDs elsewhere; required query and header parameters; a body made of
/// the request model's required properties with type-correct values; `If-Match` with the
/// current ETag when the request changes an existing entity.
struct SweepRequests {
    struct Plan {
        var request: HTTPRequest
        /// True when some path parameter is a random UUID, so a 404 is a valid outcome.
        var usesUnknownIds: Bool
    }

    struct Entity {
        var extId: String
        var parentExtId: String?
    }

    let contract: Contract
    /// The stored entities of a collection (`namespace`, store kind), read when a plan is made.
    let entities: (_ namespace: String, _ kind: String) -> [Entity]
    /// The parent of any known entity, to fill the path parameters left of it.
    let parentOf: (_ extId: String) -> String?
    /// Current ETags of stored entities, for the `If-Match` a change of an existing entity needs.
    let etag: (_ namespace: String, _ kind: String, _ extId: String) -> String?

    func plan(_ op: PrismAPI.Operation) -> Plan {
        let role = contract.role(of: op)
        var values: [String: String] = [:]
        if let item = role.itemParameter, let entity = entities(op.namespace, role.collection).first {
            values[item] = entity.extId
            if let parent = role.parentParameter, let id = entity.parentExtId { values[parent] = id }
        } else if let parent = role.parentParameter, let parentKind = role.parentCollection,
            let entity = entities(op.namespace, parentKind).first
        {
            values[parent] = entity.extId
        }
        var unknown = false
        if let item = role.itemParameter, values[item] == nil {
            values[item] = UUID().uuidString.lowercased()
            unknown = true
        }
        // Parameters left of a known id are its ancestors: follow the fixtures' parent links.
        var chain: String?
        for name in op.template.parameterNames.reversed() {
            if let value = values[name] {
                chain = value
            } else if let id = chain, let parent = parentOf(id) {
                values[name] = parent
                chain = parent
            } else {
                values[name] = UUID().uuidString.lowercased()
                unknown = true
                chain = nil
            }
        }
        var path = ""
        for segment in op.template.segments {
            switch segment {
            case .literal(let text): path += "/" + text
            case .version: path += "/" + (contract.catalog.namespaces[op.namespace]?.apiVersion ?? "v4.0")
            case .parameter(let name): path += "/" + SweepRequests.percentEncode(values[name] ?? "")
            }
        }
        var query: [String] = []
        var headers = HTTPHeaders()
        headers.add("Host", "127.0.0.1:9440")
        headers.add("Authorization", "Basic YWRtaW46TnV0YW5peC80dQ==")  // admin:Nutanix/4u
        headers.add("NTNX-Request-Id", UUID().uuidString.lowercased())
        headers.add("Content-Type", "application/json")
        let changed: String?
        switch role.kind {
        case _ where role.collection == VmGuestTools.collection: changed = values["extId"]  // the VM's
        case .update, .delete, .action(_, onEntity: true): changed = role.itemParameter.flatMap { values[$0] }
        case .singletonPut: changed = role.parentParameter.flatMap { values[$0] } ?? GenericEngine.singletonKey
        default: changed = nil
        }
        if let id = changed, let tag = etag(op.namespace, role.collection, id) { headers.add("If-Match", tag) }
        for p in op.parameters where p.required {
            switch p.location {
            case .path: continue
            case .query:
                query.append(SweepRequests.percentEncode(p.name) + "=" + SweepRequests.percentEncode(scalar(p)))
            case .header: headers.add(p.name, scalar(p))
            }
        }
        var body: [UInt8] = []
        if op.namespace == "prism" && op.operationId == "submitBatch" {
            // A minimal BatchSpec has an empty payload, which the batch API rightly refuses:
            // send the smallest batch that does something, one synchronous create.
            body = Array(SweepRequests.oneItemBatch.utf8)
        } else if let type = op.requestBody, op.requestContentTypes.allSatisfy({ $0 == "application/json" }) {
            body = Array(MinimalBody(catalog: contract.catalog, namespace: op.namespace).value(type).text.utf8)
        }
        let target = path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let request = HTTPRequest(method: op.method, target: target, headers: headers, body: body)
        return Plan(request: request, usesUnknownIds: unknown)
    }

    static let oneItemBatch = #"{"metadata":{"action":"CREATE","name":"sweep","uri":"/api/prism/v4.4/config/categories","shouldStopOnError":false,"chunkSize":1},"payload":[{"data":{"key":"Sweep","value":"One"}}]}"#

    private func scalar(_ p: Parameter) -> String {
        if p.name.lowercased() == "x-cluster-id",
            let cluster = entities("clustermgmt", "clustermgmt:config/clusters").last
        {
            return cluster.extId
        }
        let value = MinimalBody(catalog: contract.catalog, namespace: "").value(p.type)
        return value.stringValue ?? value.text
    }

    /// RFC 3986 §2.1 for a path segment or query component, as the SDKs send them (`safe=''`).
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
