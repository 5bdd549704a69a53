import OData

/// The type of a property, a parameter or a body, as openapi/*.json states it (OpenAPI 3.0.3
/// section 4.7.24, restricted to what the SDK generator emits).
public indirect enum SchemaType: Sendable, Equatable {
    /// `format` is `date-time`, `date`, `uuid`, `binary`, `byte` or nil.
    case string(format: String?)
    case integer
    case number
    case boolean
    /// `{}`: any JSON value (the SDK's `object`).
    case any
    case array(SchemaType)
    /// `dict(str, T)`: an object whose values are all `T`.
    case map(SchemaType)
    /// A named model (object or enum) of the same document.
    case model(String)
    /// A oneOf field: the SDK picks the member by `$objectType` (or by JSON shape for lists/maps).
    case oneOf([OneOfMember])
}

public struct OneOfMember: Sendable, Equatable {
    /// The SDK's discriminator: a `$objectType` name, or `EMPTY_LIST` / `EMPTY_MAP` / `List<...>`-style keys.
    public let discriminator: String
    public let type: SchemaType

    public init(discriminator: String, type: SchemaType) {
        self.discriminator = discriminator
        self.type = type
    }
}

extension SchemaType {
    /// The model names this type refers to directly (through arrays, maps and oneOf members).
    public var referencedModels: [String] {
        switch self {
        case .model(let name): return [name]
        case .array(let element), .map(let element): return element.referencedModels
        case .oneOf(let members): return members.flatMap(\.type.referencedModels)
        case .string, .integer, .number, .boolean, .any: return []
        }
    }
}
