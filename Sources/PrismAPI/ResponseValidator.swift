import OData

/// Checks a response pcmock is about to send against the operation's envelope model, the way the
/// strictest SDK generation decodes it (sdk-contract.md §0 rules 6–8, §e). Used by the contract
/// sweep test and, with `--self-check`, by the server on every response (issue 9 point 6).
///
/// The rules, in addition to JSON types and enum members:
/// - a 2xx other than 204 has a JSON object body (the SDK runs `json.loads` on it);
/// - the envelope names the operation's response model in `$objectType` (an error envelope may
///   name `<ns>.v4.error.ErrorResponse` instead) and carries `$reserved`;
/// - an error's `data` is the namespace's `ErrorResponse`;
/// - every object in a oneOf position carries a `$objectType` naming one of the members, since
///   the SDKs pick the class by it alone (G1/G2 crash without it);
/// - a `data` object carries `$reserved` (the SDK stores the ETag there, rule 7);
/// - a list answer carries `metadata.totalAvailableResults`;
/// - `date-time` strings are RFC 3339 (the SDK's `dateutil` parse fails otherwise).
public struct ResponseValidator: Sendable {
    public let catalog: Catalog
    /// Stop after this many problems: one bad model repeated over a list says enough.
    public var maxProblems = 20

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Validates raw response bytes; `status` decides between the success and error shapes.
    public func validate(status: Int, body: [UInt8], for operation: Operation) -> [ValidationProblem] {
        if body.isEmpty {
            // A 2xx other than 204 is parsed by the SDK; an error body by its users (real-clients.md §5.8).
            if status == 204 || status < 200 || (300..<400).contains(status) { return [] }
            return [ValidationProblem(attributePath: "$", message: "a \(status) needs a JSON body")]
        }
        do {
            return validate(status: status, body: try JSON.parse(body), for: operation)
        } catch {
            return [ValidationProblem(attributePath: "$", message: "the body is not JSON: \(error)")]
        }
    }

    public func validate(status: Int, body: JSON, for operation: Operation) -> [ValidationProblem] {
        var walk = SchemaWalk(catalog: catalog, namespace: operation.namespace, limit: maxProblems)
        guard case .object(let envelope) = body else {
            walk.add("$", "the envelope must be a JSON object")
            return walk.problems
        }
        let errorModel = "\(operation.namespace).v4.error.ErrorResponse"
        let isError = status >= 400
        let declared = envelope["$objectType"]?.stringValue
        if let expected = operation.responseModel {
            if declared != expected && !(isError && declared == errorModel) {
                walk.add("$objectType", "expected '\(expected)', got \(declared.map { "'\($0)'" } ?? "none")")
            }
        }
        if envelope["$reserved"]?.objectValue == nil { walk.add("$reserved", "the envelope needs a $reserved object") }
        if let metadata = envelope["metadata"] {
            walk.check(metadata, .model("common.v1.response.ApiResponseMetadata"), path: "metadata")
        }
        // Clients page by it and nutanix.ansible dereferences it unconditionally (real-clients.md §2.5).
        if operation.isList, (200...299).contains(status), envelope["metadata"]?["totalAvailableResults"] == nil {
            walk.add("metadata.totalAvailableResults", "a list answer needs metadata.totalAvailableResults")
        }
        let data = envelope["data"]
        if isError {
            guard let data, case .object(let o) = data else {
                walk.add("data", "an error needs data: \(errorModel)")
                return walk.problems
            }
            if o["$objectType"]?.stringValue != errorModel {
                walk.add("data.$objectType", "an error's data must be '\(errorModel)'")
            }
            walk.check(data, .model(errorModel), path: "data")
            return walk.problems
        }
        guard let data else {
            // An empty list omits `data` like a real Prism Central (sdk-contract.md §e).
            if operation.listItemModel == nil, status != 204, operation.responseModel != nil {
                walk.add("data", "a \(status) for \(operation.operationId) needs data")
            }
            return walk.problems
        }
        if case .object(let o) = data, o["$objectType"] != nil, o["$reserved"]?.objectValue == nil {
            walk.add("data.$reserved", "data needs a $reserved object (the SDK keeps the ETag there)")
        }
        if let type = dataType(of: operation) {
            walk.check(data, type, path: "data")
        }
        return walk.problems
    }

    /// The `data` property's type of the envelope model, without the error member: a success
    /// that decodes as ErrorResponse is as wrong as any other mismatch.
    func dataType(of operation: Operation) -> SchemaType? {
        guard let name = operation.responseModel,
            let envelope = catalog.model(named: name, in: operation.namespace) ?? catalog.model(named: name),
            let data = envelope.property(named: "data")
        else { return nil }
        guard case .oneOf(let members) = data.type else { return data.type }
        return .oneOf(members.filter { !$0.discriminator.hasSuffix(".error.ErrorResponse") })
    }
}
