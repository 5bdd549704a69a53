/// Operations: OpenAPI 3.0.3 section 4.7.10 plus the generator's `x-` fields.
extension DocumentReader {
    func operation(path: String, method: String) throws -> Operation {
        var operationId, sdkMethod, summary, listItemModel, fieldListSource, responseModel: String?
        var apiClass = ""
        var returnsTask: Bool?
        var parameters: [Parameter] = []
        var dataTypes: [String] = []
        var filterable, sortable, expandable, selectable: [String]?
        var body: (type: SchemaType?, required: Bool, contentTypes: [String]) = (nil, false, [])
        try json.readObject { key in
            if key == "operationId" { operationId = try json.readString() }
            else if key == "x-sdk-method" { sdkMethod = try json.readString() }
            else if key == "summary" { summary = try json.readString() }
            else if key == "tags" { apiClass = try json.readStringArray().first ?? "" }
            else if key == "x-returns-task" { returnsTask = try json.readBool() }
            else if key == "x-response-data-types" { dataTypes = try json.readStringArray() }
            else if key == "x-list-item-model" { listItemModel = try json.readString() }
            else if key == "x-filterable" { filterable = try json.readStringArray() }
            else if key == "x-sortable" { sortable = try json.readStringArray() }
            else if key == "x-expandable" { expandable = try json.readStringArray() }
            else if key == "x-selectable" { selectable = try json.readStringArray() }
            else if key == "x-field-list-source" { fieldListSource = try json.readString() }
            else if key == "parameters" { try json.readArray { parameters.append(try parameter(path, method)) } }
            else if key == "requestBody" { body = try requestBody() }
            else if key == "responses" { responseModel = try responseEnvelope() }
            else { try json.skipValue() }
        }
        return Operation(
            namespace: "", operationId: try required(operationId, "\(method) \(path) operationId"),
            sdkMethod: try required(sdkMethod, "\(method) \(path) x-sdk-method"), summary: summary, apiClass: apiClass,
            method: method, path: path, template: PathTemplate(path), parameters: parameters,
            requestBody: body.type, requestBodyRequired: body.required, requestContentTypes: body.contentTypes,
            responseModel: responseModel, responseDataTypes: dataTypes,
            returnsTask: try required(returnsTask, "\(method) \(path) x-returns-task"),
            listItemModel: listItemModel, filterable: filterable, sortable: sortable, expandable: expandable,
            selectable: selectable, fieldListSource: fieldListSource)
    }

    private func parameter(_ path: String, _ method: String) throws -> Parameter {
        var name, location: String?
        var isRequired = false
        var type = SchemaType.any
        try json.readObject { key in
            if key == "name" { name = try json.readString() }
            else if key == "in" { location = try json.readString() }
            else if key == "required" { isRequired = try json.readBool() }
            else if key == "schema" { type = try schema(at: "\(method) \(path) parameter").type }
            else { try json.skipValue() }
        }
        let raw = try required(location, "\(method) \(path) parameter in")
        guard let parsed = Parameter.Location(rawValue: raw) else {
            throw malformed("\(method) \(path)", "parameter location \(raw)")
        }
        return Parameter(name: try required(name, "\(method) \(path) parameter name"), location: parsed,
                         required: isRequired, type: type)
    }

    /// The body schema of the first content type in name order (all carry the same schema).
    private func requestBody() throws -> (type: SchemaType?, required: Bool, contentTypes: [String]) {
        var isRequired = false
        var bodies: [(String, SchemaType)] = []
        try json.readObject { key in
            if key == "required" { isRequired = try json.readBool() }
            else if key == "content" {
                try json.readObject { media in
                    let contentType = media.string
                    var type = SchemaType.any
                    try json.readObject { field in
                        if field == "schema" { type = try schema(at: "requestBody \(contentType)").type }
                        else { try json.skipValue() }
                    }
                    bodies.append((contentType, type))
                }
            } else {
                try json.skipValue()
            }
        }
        bodies.sort { $0.0 < $1.0 }
        return (bodies.first?.1, isRequired, bodies.map(\.0))
    }

    /// `responses.2XX.content.application/json.schema.$ref`, the envelope model.
    private func responseEnvelope() throws -> String? {
        var model: String?
        try json.readObject { status in
            guard status == "2XX" else { return try json.skipValue() }
            try json.readObject { field in
                guard field == "content" else { return try json.skipValue() }
                try json.readObject { media in
                    guard media == "application/json" else { return try json.skipValue() }
                    try json.readObject { entry in
                        guard entry == "schema" else { return try json.skipValue() }
                        if case .model(let name) = try schema(at: "responses").type { model = name }
                    }
                }
            }
        }
        return model
    }
}
