import OData

/// Walks a response value against a catalog type the way the SDKs' deserializers read it
/// (sdk-contract.md §e): declared model fields by their type, oneOf fields by `$objectType` only.
/// Unknown members are fine (the SDK keeps them in `$unknownFields`); `null` means "not set".
struct SchemaWalk {
    let catalog: Catalog
    let namespace: String
    let limit: Int
    private(set) var problems: [ValidationProblem] = []

    init(catalog: Catalog, namespace: String, limit: Int) {
        self.catalog = catalog
        self.namespace = namespace
        self.limit = limit
    }

    mutating func add(_ path: String, _ message: String) {
        if problems.count < limit { problems.append(ValidationProblem(attributePath: path, message: message)) }
    }

    private func model(_ name: String) -> Model? {
        catalog.model(named: name, in: namespace) ?? catalog.model(named: name)
    }

    private func accepts(_ value: JSON, _ type: SchemaType) -> Bool {
        var trial = SchemaWalk(catalog: catalog, namespace: namespace, limit: 1)
        trial.check(value, type, path: "")
        return trial.problems.isEmpty
    }

    mutating func check(_ value: JSON, _ type: SchemaType, path: String) {
        if value == .null { return }
        switch type {
        case .any:
            return
        case .string(let format):
            guard case .string(let s) = value else { return add(path, "must be a string") }
            if format == "date-time", !RFC3339.isValid(s) { add(path, "'\(s)' is not an RFC 3339 date-time") }
        case .integer:
            switch value {
            case .int: return
            case .double(let d) where d == d.rounded(): return
            default: add(path, "must be an integer")
            }
        case .number:
            guard value.numberValue != nil else { return add(path, "must be a number") }
        case .boolean:
            guard case .bool = value else { return add(path, "must be a boolean") }
        case .array(let element):
            guard case .array(let items) = value else { return add(path, "must be an array") }
            for (i, item) in items.enumerated() where problems.count < limit {
                check(item, element, path: "\(path)[\(i)]")
            }
        case .map(let element):
            guard case .object(let o) = value else { return add(path, "must be an object") }
            for m in o where !m.key.hasPrefix("$") { check(m.value, element, path: join(path, m.key)) }
        case .model(let name):
            checkModel(value, name, path: path)
        case .oneOf(let members):
            checkOneOf(value, members, path: path)
        }
    }

    private mutating func checkModel(_ value: JSON, _ name: String, path: String) {
        guard let model = model(name) else { return }
        if model.kind == .enumeration {
            guard case .string(let s) = value else { return add(path, "must be a string (\(model.name))") }
            if !model.enumValues.contains(s) { add(path, "'\(s)' is not a member of \(model.name)") }
            return
        }
        guard case .object(let o) = value else { return add(path, "must be an object (\(model.objectType))") }
        if let declared = o["$objectType"]?.stringValue, declared != model.objectType {
            add(join(path, "$objectType"), "expected '\(model.objectType)', got '\(declared)'")
        }
        for property in model.properties {
            if let member = o[property.name] { check(member, property.type, path: join(path, property.name)) }
        }
    }

    /// Objects pick their member by `$objectType`; list items likewise, one by one; scalars by
    /// JSON type. An object without `$objectType` is what makes G1/G2 crash and G3 return a dict.
    private mutating func checkOneOf(_ value: JSON, _ members: [OneOfMember], path: String) {
        switch value {
        case .object(let o):
            guard let declared = o["$objectType"]?.stringValue else {
                if o.count == 0 { return }  // EMPTY_MAP
                return add(join(path, "$objectType"), "a oneOf object needs $objectType (\(names(members)))")
            }
            guard let member = members.first(where: { objectType($0.type) == declared }) else {
                return add(join(path, "$objectType"), "'\(declared)' is not one of \(names(members))")
            }
            check(value, member.type, path: path)
        case .array(let items):
            let elements = members.compactMap { m -> SchemaType? in if case .array(let e) = m.type { e } else { nil } }
            for (i, item) in items.enumerated() where problems.count < limit {
                let at = "\(path)[\(i)]"
                guard case .object(let o) = item else {
                    if !elements.contains(where: { accepts(item, $0) }) { add(at, "matches no list member") }
                    continue
                }
                guard let declared = o["$objectType"]?.stringValue else {
                    add(join(at, "$objectType"), "a oneOf list item needs $objectType")
                    continue
                }
                guard let element = elements.first(where: { objectType($0) == declared }) else {
                    add(join(at, "$objectType"), "'\(declared)' is not an item type of \(names(members))")
                    continue
                }
                check(item, element, path: at)
            }
        default:
            if !members.contains(where: { accepts(value, $0.type) }) { add(path, "matches none of \(names(members))") }
        }
    }

    private func objectType(_ type: SchemaType) -> String? {
        if case .model(let name) = type { return model(name)?.objectType ?? name }
        return nil
    }

    private func names(_ members: [OneOfMember]) -> String {
        members.map(\.discriminator).filter { !$0.hasPrefix("EMPTY_") }.joined(separator: ", ")
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
