/// Models and schemas: OpenAPI 3.0.3 section 4.7.24, restricted to what the generator emits.
extension DocumentReader {
    struct ReadSchema {
        var type: SchemaType
        var readOnly: Bool
        var constraints: Constraints
    }

    func model(named name: String) throws -> Model {
        var objectType, fv: String?
        var enumValues: [String]?
        var properties: [Property] = []
        var requiredNames: [String] = []
        try json.readObject { key in
            if key == "x-object-type" { objectType = try json.readString() }
            else if key == "x-fv" { fv = try json.readString() }
            else if key == "enum" { enumValues = try json.readStringArray() }
            else if key == "required" { requiredNames = try json.readStringArray() }
            else if key == "properties" {
                try json.readObject { propertyKey in
                    let propertyName = propertyKey.string
                    let read = try schema(at: "\(name).\(propertyName)")
                    properties.append(Property(name: propertyName, type: read.type, readOnly: read.readOnly,
                                               constraints: read.constraints))
                }
            } else {
                try json.skipValue()
            }
        }
        let kind: Model.Kind = enumValues == nil ? .object : .enumeration
        properties.sort { $0.name < $1.name }
        return Model(name: name, objectType: try required(objectType, "\(name).x-object-type"),
                     fv: try required(fv, "\(name).x-fv"), kind: kind, properties: properties,
                     required: Set(requiredNames), enumValues: enumValues ?? [])
    }

    /// One schema object. `at` is only evaluated for an error message.
    func schema(at: @autoclosure () -> String) throws -> ReadSchema {
        var reference, typeName, format: String?
        var items, additional: SchemaType?
        var wrapped: [SchemaType] = []
        var oneOf: [SchemaType]?
        var oneOfNames: [String] = []
        var result = ReadSchema(type: .any, readOnly: false, constraints: Constraints())
        try json.readObject { key in
            if key == "$ref" { reference = try json.readString(droppingPrefix: "#/components/schemas/") }
            else if key == "type" { typeName = try json.readString() }
            else if key == "format" { format = try json.readString() }
            else if key == "items" { items = try schema(at: "\(at())[]").type }
            else if key == "additionalProperties" { additional = try schema(at: "\(at()){}").type }
            else if key == "allOf" { try json.readArray { wrapped.append(try schema(at: at()).type) } }
            else if key == "oneOf" {
                var members: [SchemaType] = []
                try json.readArray { members.append(try schema(at: "\(at()).oneOf").type) }
                oneOf = members
            } else if key == "x-one-of" {
                try json.readObject { name in
                    oneOfNames.append(name.string)
                    try json.skipValue()
                }
            } else if key == "readOnly" { result.readOnly = try json.readBool() }
            else if try !readConstraint(key, into: &result.constraints) { try json.skipValue() }
        }
        if let reference {
            result.type = .model(reference)
        } else if wrapped.count == 1 {
            result.type = wrapped[0]  // the generator wraps a $ref that has siblings in allOf
        } else if let oneOf {
            // `x-one-of` keeps the SDK's discriminator names, sorted like the `oneOf` list.
            oneOfNames.sort()
            guard oneOfNames.count == oneOf.count else { throw malformed(at(), "x-one-of and oneOf differ") }
            result.type = .oneOf(zip(oneOfNames, oneOf).map { OneOfMember(discriminator: $0, type: $1) })
        } else {
            result.type = try scalarType(typeName, format: format, items: items, additional: additional, at: at())
        }
        return result
    }

    private func scalarType(_ name: String?, format: String?, items: SchemaType?, additional: SchemaType?,
                            at: @autoclosure () -> String) throws -> SchemaType
    {
        switch name {
        case "string"?: return .string(format: format)
        case "integer"?: return .integer
        case "number"?: return .number
        case "boolean"?: return .boolean
        case "array"?: return .array(items ?? .any)
        case "object"?: return .map(additional ?? .any)
        case nil: return .any
        case let other?: throw malformed(at(), "unknown type \(other)")
        }
    }

    /// Reads the value when `key` is a validation keyword (section 4.7.24.1); false otherwise.
    private func readConstraint(_ key: JSONReader.Key, into constraints: inout Constraints) throws -> Bool {
        if key == "maxLength" { constraints.maxLength = try readInt() }
        else if key == "minLength" { constraints.minLength = try readInt() }
        else if key == "minimum" { constraints.minimum = try json.readNumber() }
        else if key == "maximum" { constraints.maximum = try json.readNumber() }
        else if key == "maxItems" { constraints.maxItems = try readInt() }
        else if key == "minItems" { constraints.minItems = try readInt() }
        else if key == "pattern" { constraints.pattern = try json.readString() }
        else if key == "default" { constraints.defaultValue = try defaultValue() }
        else { return false }
        return true
    }

    private func readInt() throws -> Int {
        let number = try json.readNumber()
        guard let value = Int(exactly: number) else { throw json.failure("integer expected") }
        return value
    }

    private func defaultValue() throws -> DefaultValue? {
        switch try json.peek() {
        case .string: return .string(try json.readString())
        case .number: return .number(try json.readNumber())
        case .bool: return .bool(try json.readBool())
        case .object, .array, .null:
            try json.skipValue()
            return nil
        }
    }
}
