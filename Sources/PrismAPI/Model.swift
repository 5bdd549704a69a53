import OData

/// One model of a namespace's document: an object with properties, or a string enum.
public struct Model: Sendable {
    public enum Kind: Sendable, Equatable {
        case object
        case enumeration
    }

    /// The component name, e.g. `vmm.v4.ahv.config.Vm`; equal to `objectType` for every SDK model.
    public let name: String
    /// The `$objectType` value the SDK sends and expects.
    public let objectType: String
    /// The `$reserved.$fv` value, e.g. `v4.r3`.
    public let fv: String
    public let kind: Kind
    /// Sorted by name (JSON object keys carry no order).
    public let properties: [Property]
    public let required: Set<String>
    /// In the SDK's order, including its `$UNKNOWN` / `$REDACTED` sentinels.
    public let enumValues: [String]

    public init(
        name: String, objectType: String, fv: String, kind: Kind,
        properties: [Property], required: Set<String>, enumValues: [String]
    ) {
        self.name = name
        self.objectType = objectType
        self.fv = fv
        self.kind = kind
        self.properties = properties
        self.required = required
        self.enumValues = enumValues
    }

    public func property(named name: String) -> Property? {
        properties.first { $0.name == name }
    }
}

public struct Property: Sendable {
    public let name: String
    public let type: SchemaType
    /// Assigned by the server (`extId`, `links`, `tenantId`): accepted in bodies, never taken from them.
    public let readOnly: Bool
    public let constraints: Constraints

    public init(name: String, type: SchemaType, readOnly: Bool, constraints: Constraints) {
        self.name = name
        self.type = type
        self.readOnly = readOnly
        self.constraints = constraints
    }
}

/// The checks the SDK's setters make (they are not enforced on decode, only on assignment).
public struct Constraints: Sendable, Equatable {
    public var maxLength: Int?
    public var minLength: Int?
    public var minimum: Double?
    public var maximum: Double?
    public var maxItems: Int?
    public var minItems: Int?
    public var pattern: String?
    /// The SDK constructor's default (e.g. `hardwareClockTimezone: "UTC"`), as JSON text-free scalars.
    public var defaultValue: DefaultValue?

    public init() {}
}

public enum DefaultValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
}
