/// The fields of a model as a filter/sort engine sees them: `/`-separated paths (OData's member
/// path syntax, `cluster/extId`) mapped to their types, through nested objects, arrays and oneOf.
public struct FieldCatalog: Sendable {
    public struct Field: Sendable, Equatable {
        public let path: String
        public let type: SchemaType
        /// For a `.model` type: the enum's values, empty otherwise.
        public let enumValues: [String]
        /// Some segment of the path crosses an array: OData reaches it only via `any`/`all`.
        public let isInCollection: Bool
    }

    public let model: String
    /// Keyed by path, e.g. `name`, `disks`, `disks/diskAddress/busType`.
    public let fields: [String: Field]

    public subscript(path: String) -> Field? { fields[path] }
}

extension Catalog {
    /// Every reachable field of `modelName` (resolved in `namespace`'s document), down to
    /// `maxDepth` segments. A model already on the current path is not entered again, so
    /// recursive models (`Task.subTasks`, categories) stay finite.
    public func fieldCatalog(for modelName: String, in namespace: String, maxDepth: Int = 6) -> FieldCatalog? {
        guard let root = model(named: modelName, in: namespace) ?? model(named: modelName) else { return nil }
        var fields: [String: FieldCatalog.Field] = [:]
        collect(root, prefix: "", inCollection: false, depth: 1, maxDepth: maxDepth, namespace: namespace,
                visiting: [root.name], into: &fields)
        return FieldCatalog(model: root.name, fields: fields)
    }

    private func resolve(_ name: String, _ namespace: String) -> Model? {
        model(named: name, in: namespace) ?? model(named: name)
    }

    private func collect(
        _ model: Model, prefix: String, inCollection: Bool, depth: Int, maxDepth: Int, namespace: String,
        visiting: Set<String>, into fields: inout [String: FieldCatalog.Field]
    ) {
        for property in model.properties {
            let path = prefix.isEmpty ? property.name : "\(prefix)/\(property.name)"
            add(property.type, path: path, inCollection: inCollection, depth: depth, maxDepth: maxDepth,
                namespace: namespace, visiting: visiting, into: &fields)
        }
    }

    private func add(
        _ type: SchemaType, path: String, inCollection: Bool, depth: Int, maxDepth: Int, namespace: String,
        visiting: Set<String>, into fields: inout [String: FieldCatalog.Field]
    ) {
        var enumValues: [String] = []
        if case .model(let name) = type, let target = resolve(name, namespace), target.kind == .enumeration {
            enumValues = target.enumValues
        }
        // The first type seen for a path wins: oneOf members sharing a property name agree in practice.
        if fields[path] == nil {
            fields[path] = FieldCatalog.Field(path: path, type: type, enumValues: enumValues,
                                              isInCollection: inCollection)
        }
        guard depth < maxDepth else { return }
        switch type {
        case .model(let name):
            guard !visiting.contains(name), let target = resolve(name, namespace), target.kind == .object else {
                return
            }
            collect(target, prefix: path, inCollection: inCollection, depth: depth + 1, maxDepth: maxDepth,
                    namespace: namespace, visiting: visiting.union([name]), into: &fields)
        case .array(let element):
            descend(element, path: path, depth: depth, maxDepth: maxDepth, namespace: namespace,
                    visiting: visiting, into: &fields)
        case .oneOf(let members):
            for member in members {
                switch member.type {
                case .model: descend(member.type, path: path, inCollection: inCollection, depth: depth,
                                     maxDepth: maxDepth, namespace: namespace, visiting: visiting, into: &fields)
                case .array(let element): descend(element, path: path, depth: depth, maxDepth: maxDepth,
                                                  namespace: namespace, visiting: visiting, into: &fields)
                default: continue
                }
            }
        case .string, .integer, .number, .boolean, .any, .map:
            return
        }
    }

    /// Enters the properties of an object-typed `type` at `path` (array elements count as a collection).
    private func descend(
        _ type: SchemaType, path: String, inCollection: Bool = true, depth: Int, maxDepth: Int, namespace: String,
        visiting: Set<String>, into fields: inout [String: FieldCatalog.Field]
    ) {
        guard case .model(let name) = type, !visiting.contains(name), let target = resolve(name, namespace),
            target.kind == .object
        else { return }
        collect(target, prefix: path, inCollection: inCollection, depth: depth + 1, maxDepth: maxDepth,
                namespace: namespace, visiting: visiting.union([name]), into: &fields)
    }
}
