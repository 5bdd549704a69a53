import OData
import PrismAPI

/// The smallest value of a catalog type that the request validator must accept: objects carry
/// their `$objectType` and only their required, client-writable properties; enums their first
/// real member; numbers their minimum (or 1). Recursion stops at a fixed depth, which no
/// required-property chain in the catalog reaches.
struct MinimalBody {
    let catalog: Catalog
    let namespace: String
    private let maxDepth = 12

    func value(_ type: SchemaType) -> JSON {
        value(type, constraints: Constraints(), depth: 0)
    }

    private func model(_ name: String) -> Model? {
        catalog.model(named: name, in: namespace) ?? catalog.model(named: name)
    }

    private func value(_ type: SchemaType, constraints: Constraints, depth: Int) -> JSON {
        switch type {
        case .string(let format):
            switch format {
            case "uuid": return .string("4b0d2a1e-6c1f-4e8a-9a57-3d1c2b0e9f10")
            case "date-time": return .string("2024-05-01T10:00:00.000000Z")
            case "date": return .string("2024-05-01")
            default: return .string("pcmock-sweep")
            }
        case .integer: return .int(Int64(max(constraints.minimum ?? 1, 0)))
        case .number: return .double(max(constraints.minimum ?? 1, 0))
        case .boolean: return .bool(false)
        case .any, .map: return .object(JSONObject())
        case .array(let element):
            let count = constraints.minItems ?? 0
            return .array((0..<count).map { _ in value(element, constraints: Constraints(), depth: depth + 1) })
        case .model(let name):
            guard let model = model(name) else { return .object(JSONObject()) }
            if model.kind == .enumeration {
                return .string(model.enumValues.first { !$0.hasPrefix("$") } ?? "")
            }
            var object = JSONObject()
            if depth < maxDepth {
                for property in model.properties where model.required.contains(property.name) && !property.readOnly {
                    object[property.name] = value(property.type, constraints: property.constraints, depth: depth + 1)
                }
            }
            object["$objectType"] = .string(model.objectType)
            return .object(object)
        case .oneOf(let members):
            // A model member first: it names itself by `$objectType`, as the SDK sends it.
            let chosen =
                members.first { if case .model = $0.type { true } else { false } }
                ?? members.first { !$0.discriminator.hasPrefix("EMPTY_") } ?? members.first
            guard let chosen else { return .null }
            return value(chosen.type, constraints: constraints, depth: depth + 1)
        }
    }
}
