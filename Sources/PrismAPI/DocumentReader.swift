/// Turns one parsed openapi/<namespace>.json into the catalog's typed values. It reads only the
/// subset the generator (scripts/openapi_gen) writes and fails on anything it does not understand.
struct DocumentReader {
    let file: String
    let root: JSON

    struct Result {
        let namespace: Namespace
        let operations: [Operation]
        let models: [String: Model]
    }

    func read() throws(CatalogError) -> Result {
        let info = JSON.object(try object(root["info"], at: "info"))
        let namespace = Namespace(
            name: try string(info["x-namespace"], at: "info.x-namespace"),
            apiVersion: try string(info["version"], at: "info.version"),
            fv: try string(info["x-fv"], at: "info.x-fv"),
            sdkPackage: try string(info["x-sdk-package"], at: "info.x-sdk-package"),
            sdkVersion: try string(info["x-sdk-version"], at: "info.x-sdk-version"),
            minimumServerVersion: info["x-min-server-version"]?.stringValue
        )
        let schemas = try object(root["components"]?["schemas"], at: "components.schemas")
        var models: [String: Model] = [:]
        models.reserveCapacity(schemas.count)
        for (name, schema) in schemas {
            models[name] = try model(named: name, schema)
        }
        var operations: [Operation] = []
        for (path, item) in try object(root["paths"], at: "paths") {
            for (method, body) in try object(item, at: path) {
                operations.append(try operation(namespace.name, path, method.uppercased(), body))
            }
        }
        // Dictionaries lose the file's order; a stable order keeps routing and tests reproducible.
        operations.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        return Result(namespace: namespace, operations: operations, models: models)
    }

    // MARK: - operations

    private func operation(_ namespace: String, _ path: String, _ method: String, _ json: JSON)
        throws(CatalogError) -> Operation
    {
        let at = "\(method) \(path)"
        var parameters: [Parameter] = []
        for entry in json["parameters"]?.arrayValue ?? [] {
            let location = try string(entry["in"], at: "\(at) parameter")
            guard let parsed = Parameter.Location(rawValue: location) else {
                throw .malformed(file: file, at: at, reason: "parameter location \(location)")
            }
            parameters.append(Parameter(
                name: try string(entry["name"], at: "\(at) parameter"),
                location: parsed,
                required: entry["required"]?.boolValue ?? false,
                type: try schemaType(entry["schema"] ?? .object(JSONObject()), at: "\(at) parameter")
            ))
        }
        var body: SchemaType?
        var contentTypes: [String] = []
        if let request = json["requestBody"], let content = request["content"]?.objectValue {
            contentTypes = content.map(\.key).sorted()
            if let first = contentTypes.first, let schema = content[first]?["schema"] {
                body = try schemaType(schema, at: "\(at) requestBody")
            }
        }
        let response = json["responses"]?["2XX"]?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
        return Operation(
            namespace: namespace,
            operationId: try string(json["operationId"], at: "\(at) operationId"),
            sdkMethod: try string(json["x-sdk-method"], at: "\(at) x-sdk-method"),
            summary: json["summary"]?.stringValue,
            apiClass: json["tags"]?.stringArray?.first ?? "",
            method: method,
            path: path,
            template: PathTemplate(path),
            parameters: parameters,
            requestBody: body,
            requestBodyRequired: json["requestBody"]?["required"]?.boolValue ?? false,
            requestContentTypes: contentTypes,
            responseModel: response.map(Self.modelName(fromRef:)),
            responseDataTypes: json["x-response-data-types"]?.stringArray ?? [],
            returnsTask: try bool(json["x-returns-task"], at: "\(at) x-returns-task"),
            listItemModel: json["x-list-item-model"]?.stringValue,
            filterable: json["x-filterable"]?.stringArray,
            sortable: json["x-sortable"]?.stringArray,
            expandable: json["x-expandable"]?.stringArray,
            selectable: json["x-selectable"]?.stringArray,
            fieldListSource: json["x-field-list-source"]?.stringValue
        )
    }

    // MARK: - helpers

    static func modelName(fromRef reference: String) -> String {
        let prefix = "#/components/schemas/"
        return reference.hasPrefix(prefix) ? String(reference.dropFirst(prefix.count)) : reference
    }

    func object(_ value: JSON?, at: @autoclosure () -> String) throws(CatalogError) -> JSONObject {
        guard let members = value?.objectValue else { throw .malformed(file: file, at: at(), reason: "object expected") }
        return members
    }

    func string(_ value: JSON?, at: @autoclosure () -> String) throws(CatalogError) -> String {
        guard let text = value?.stringValue else { throw .malformed(file: file, at: at(), reason: "string expected") }
        return text
    }

    func bool(_ value: JSON?, at: @autoclosure () -> String) throws(CatalogError) -> Bool {
        guard let flag = value?.boolValue else { throw .malformed(file: file, at: at(), reason: "boolean expected") }
        return flag
    }
}
