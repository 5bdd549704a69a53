/// Models and schema types (OpenAPI 3.0.3 section 4.7.24, the generator's subset).
extension DocumentReader {
    func model(named name: String, _ json: JSON) throws(CatalogError) -> Model {
        let at = name
        let objectType = try string(json["x-object-type"], at: "\(at).x-object-type")
        let fv = try string(json["x-fv"], at: "\(at).x-fv")
        if let values = json["enum"] {
            guard let strings = values.stringArray else { throw .malformed(file: file, at: at, reason: "enum of strings") }
            return Model(name: name, objectType: objectType, fv: fv, kind: .enumeration,
                         properties: [], required: [], enumValues: strings)
        }
        var properties: [Property] = []
        for (propertyName, schema) in json["properties"]?.objectValue ?? JSONObject() {
            properties.append(Property(
                name: propertyName,
                type: try schemaType(schema, at: "\(at).\(propertyName)"),
                readOnly: schema["readOnly"]?.boolValue ?? false,
                constraints: constraints(schema)
            ))
        }
        properties.sort { $0.name < $1.name }
        return Model(name: name, objectType: objectType, fv: fv, kind: .object, properties: properties,
                     required: Set(json["required"]?.stringArray ?? []), enumValues: [])
    }

    /// `at` is only evaluated for an error message: building location strings for every one of
    /// the ~30,000 schemas was a measurable part of start-up.
    func schemaType(_ json: JSON, at: @autoclosure () -> String) throws(CatalogError) -> SchemaType {
        if let reference = json["$ref"]?.stringValue {
            return .model(Self.modelName(fromRef: reference))
        }
        if let wrapped = json["allOf"]?.arrayValue, wrapped.count == 1 {
            return try schemaType(wrapped[0], at: at())  // the generator wraps a $ref that has siblings
        }
        if let members = json["oneOf"]?.arrayValue {
            return .oneOf(try oneOfMembers(json, members, at: at()))
        }
        switch json["type"]?.stringValue {
        case "string": return .string(format: json["format"]?.stringValue)
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "array": return .array(try schemaType(json["items"] ?? .object(JSONObject()), at: "\(at())[]"))
        case "object":
            if let values = json["additionalProperties"] { return .map(try schemaType(values, at: "\(at()){}")) }
            return .map(.any)
        case nil: return .any
        case let other?: throw .malformed(file: file, at: at(), reason: "unknown type \(other)")
        }
    }

    /// `x-one-of` keeps the SDK's discriminator names in the order of the `oneOf` list.
    private func oneOfMembers(_ json: JSON, _ members: [JSON], at: String)
        throws(CatalogError) -> [OneOfMember]
    {
        let types = try members.map { member throws(CatalogError) in try schemaType(member, at: "\(at).oneOf") }
        let names = (json["x-one-of"]?.objectValue ?? JSONObject()).map(\.key).sorted()
        guard names.count == types.count else {
            // The generator writes both from one ordered map; a mismatch means a hand-edited file.
            throw .malformed(file: file, at: at, reason: "x-one-of and oneOf differ in length")
        }
        return zip(names, types).map { OneOfMember(discriminator: $0, type: $1) }
    }

    func constraints(_ json: JSON) -> Constraints {
        var result = Constraints()
        result.maxLength = json["maxLength"]?.numberValue.map { Int($0) }
        result.minLength = json["minLength"]?.numberValue.map { Int($0) }
        result.minimum = json["minimum"]?.numberValue
        result.maximum = json["maximum"]?.numberValue
        result.maxItems = json["maxItems"]?.numberValue.map { Int($0) }
        result.minItems = json["minItems"]?.numberValue.map { Int($0) }
        result.pattern = json["pattern"]?.stringValue
        switch json["default"] {
        case .string(let text)?: result.defaultValue = .string(text)
        case .int(let number)?: result.defaultValue = .number(Double(number))
        case .double(let number)?: result.defaultValue = .number(number)
        case .bool(let flag)?: result.defaultValue = .bool(flag)
        default: break
        }
        return result
    }
}
