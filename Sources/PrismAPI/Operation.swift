import Synchronization

/// One SDK operation: what the router matches and what the engine needs to serve it.
///
/// A class, not a struct: its ~20 strings and arrays made every copy (into the document's
/// array, the catalog's, the route table's, each request's route) retain and release each of
/// them, most of the catalog's start-up cost. Immutable, so sharing one instance is safe.
public final class Operation: Sendable {
    public let namespace: String
    /// camelCase of the SDK method (`createVm`); unique within its namespace.
    public let operationId: String
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public let method: String
    /// The path exactly as the SDK sends it before negotiation: `/api/vmm/v4.3/ahv/config/vms`.
    public let path: String
    public let template: PathTemplate
    /// The body's type (usually `.model(name)`), nil when the operation takes no body.
    public let requestBody: SchemaType?
    public let requestBodyRequired: Bool
    public let requestContentTypes: [String]
    /// Non-error members of the envelope's `data` oneOf: `prism.v4.config.TaskReference`, `list[...]`.
    public let responseDataTypes: [String]
    public let returnsTask: Bool
    /// The item model when the response `data` is a list (a collection GET, but also the
    /// `list[AppMessage]` some updates return).
    public let listItemModel: String?

    /// The rest, which neither routing nor role derivation reads: from the catalog index it is
    /// decoded on first use (`OperationDetails`), about half of the strings start-up made.
    private let source: OperationDetails.Source
    /// A mutex rather than `AtomicLazyReference`, whose `load()` runs unspecialized (~770
    /// instructions per call, more than the uncontended lock).
    private let decoded = Mutex<OperationDetails?>(nil)

    /// The Python SDK method, e.g. `create_vm`.
    public var sdkMethod: String { details.sdkMethod }
    /// The spec's one-line summary (`List VMs`): a task's `operationDescription`.
    public var summary: String? { details.summary }
    /// The SDK's API class (`VmApi`), the OpenAPI tag.
    public var apiClass: String { details.apiClass }
    /// The envelope model (`vmm.v4.ahv.config.CreateVmApiResponse`), or nil for a non-model response.
    public var responseModel: String? { details.responseModel }
    public var parameters: [Parameter] { details.parameters }
    /// Field lists for `$filter` / `$orderby` / `$expand` / `$select`; nil = none published.
    public var filterable: [String]? { details.filterable }
    public var sortable: [String]? { details.sortable }
    public var expandable: [String]? { details.expandable }
    public var selectable: [String]? { details.selectable }
    /// Where the field lists come from, e.g. `ntnx-vmm-py-client 4.0.1 docstring`.
    public var fieldListSource: String? { details.fieldListSource }

    convenience init(
        namespace: String, operationId: String, sdkMethod: String, summary: String?, apiClass: String,
        method: String, path: String, template: PathTemplate, parameters: [Parameter],
        requestBody: SchemaType?, requestBodyRequired: Bool, requestContentTypes: [String],
        responseModel: String?, responseDataTypes: [String], returnsTask: Bool,
        listItemModel: String?, filterable: [String]?, sortable: [String]?,
        expandable: [String]?, selectable: [String]?, fieldListSource: String?
    ) {
        self.init(
            namespace: namespace, operationId: operationId, method: method, path: path, template: template,
            requestBody: requestBody, requestBodyRequired: requestBodyRequired,
            requestContentTypes: requestContentTypes, responseDataTypes: responseDataTypes,
            returnsTask: returnsTask, listItemModel: listItemModel,
            details: .ready(
                OperationDetails(
                    sdkMethod: sdkMethod, summary: summary, apiClass: apiClass, responseModel: responseModel,
                    parameters: parameters,
                    filterable: filterable, sortable: sortable, expandable: expandable, selectable: selectable,
                    fieldListSource: fieldListSource)))
    }

    init(
        namespace: String, operationId: String, method: String, path: String, template: PathTemplate,
        requestBody: SchemaType?, requestBodyRequired: Bool, requestContentTypes: [String],
        responseDataTypes: [String], returnsTask: Bool, listItemModel: String?, details: OperationDetails.Source
    ) {
        self.namespace = namespace
        self.operationId = operationId
        self.method = method
        self.path = path
        self.template = template
        self.requestBody = requestBody
        self.requestBodyRequired = requestBodyRequired
        self.requestContentTypes = requestContentTypes
        self.responseDataTypes = responseDataTypes
        self.returnsTask = returnsTask
        self.listItemModel = listItemModel
        source = details
    }

    /// This operation in `namespace` (a document names its namespace after its paths).
    func inNamespace(_ namespace: String) -> Operation {
        Operation(
            namespace: namespace, operationId: operationId, method: method, path: path, template: template,
            requestBody: requestBody, requestBodyRequired: requestBodyRequired,
            requestContentTypes: requestContentTypes, responseDataTypes: responseDataTypes,
            returnsTask: returnsTask, listItemModel: listItemModel, details: source)
    }

    var details: OperationDetails {
        switch source {
        case .ready(let details):
            return details
        case .index(let store, let offset):
            return decoded.withLock { decoded in
                if let decoded { return decoded }
                let details = store.details(at: offset)
                decoded = details
                return details
            }
        }
    }

    /// A collection read: GET with a list `data` (the 219 "list ops" of sdk-contract.md section 1).
    public var isList: Bool { method == "GET" && listItemModel != nil }

    public func parameter(named name: String, in location: Parameter.Location) -> Parameter? {
        parameters.first { $0.name == name && $0.location == location }
    }
}

public struct Parameter: Sendable {
    public enum Location: String, Sendable {
        case path, query, header
    }

    /// The wire name: `extId`, `$filter`, `X-Cluster-Id`.
    public let name: String
    public let location: Location
    public let required: Bool
    public let type: SchemaType
}

/// One of the 17 namespaces (`vmm`, `prism`, ...), one openapi/<name>.json file.
public struct Namespace: Sendable {
    public let name: String
    /// The newest API version the SDK speaks: `v4.3`; the answer to `OPTIONS .../unversioned/info`.
    public let apiVersion: String
    /// `$reserved.$fv` of the namespace's own models: `v4.r3`.
    public let fv: String
    public let sdkPackage: String
    public let sdkVersion: String
    /// The lowest server version the SDK negotiates down to, nil for SDKs that do not negotiate.
    public let minimumServerVersion: String?
}
