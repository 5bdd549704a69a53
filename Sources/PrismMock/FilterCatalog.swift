import OData
import PrismAPI
import Synchronization

/// What `$filter`, `$orderby` and `$select` may name for one list operation, built from the
/// operation's published field lists and its item model. Built on first use per operation and
/// cached: most of the 218 list operations are never called in a test run.
struct FilterCatalog: Sendable {
    let filterable: OData.FieldCatalog
    let sortable: Set<String>?
    let selectable: Set<String>?
}

final class FilterCatalogCache: Sendable {
    private let cache = Mutex<[String: FilterCatalog]>([:])

    func catalog(for op: Operation, in catalog: Catalog) -> FilterCatalog {
        let key = op.namespace + ":" + op.operationId
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let built = FilterCatalogBuilder(catalog: catalog, namespace: op.namespace).build(op)
        cache.withLock { $0[key] = built }
        return built
    }
}

struct FilterCatalogBuilder {
    let catalog: Catalog
    let namespace: String
    private let maxDepth = 6

    func build(_ op: Operation) -> FilterCatalog {
        var fields = OData.FieldCatalog()
        if let itemName = op.listItemModel, let model = model(itemName) {
            let paths = op.filterable ?? model.properties.map(\.name)
            for path in paths where path.split(separator: "/").allSatisfy(isIdentifier) {
                if let type = resolve(path, in: model) {
                    fields.add(path, type)
                } else if let (head, type) = collection(path, in: model), fields.fields[head] == nil {
                    // `entitiesAffected/extId` is published for lambdas: `entitiesAffected/any(e:e/extId eq …)`.
                    fields.add(head, type)
                }
            }
        }
        return FilterCatalog(
            filterable: fields, sortable: op.sortable.map(Set.init), selectable: op.selectable.map(Set.init))
    }

    private func model(_ name: String) -> Model? {
        catalog.model(named: name, in: namespace) ?? catalog.model(named: name)
    }

    /// The OData type of a `/` path from `model`, or nil when the path does not exist.
    private func resolve(_ path: String, in model: Model) -> FieldType? {
        var current = model
        let parts = path.split(separator: "/").map(String.init)
        for (i, part) in parts.enumerated() {
            guard let property = current.property(named: part) else { return nil }
            if i == parts.count - 1 { return convert(property.type, depth: 1, visiting: [current.name]) }
            guard case .model(let name) = property.type, let next = self.model(name), next.kind == .object else {
                return nil
            }
            current = next
        }
        return nil
    }

    /// A path through an array of objects names the array's element fields; the array itself is
    /// what `any`/`all` range over.
    private func collection(_ path: String, in model: Model) -> (String, FieldType)? {
        guard let head = path.split(separator: "/").first, let property = model.property(named: String(head)),
            case .array(.model) = property.type
        else { return nil }
        return convert(property.type, depth: 1, visiting: [model.name]).map { (String(head), $0) }
    }

    private func convert(_ type: SchemaType, depth: Int, visiting: Set<String>) -> FieldType? {
        switch type {
        case .string(let format):
            switch format {
            case "date-time": return .datetime
            case "uuid": return .guid
            default: return .string
            }
        case .integer: return .integer
        case .number: return .double
        case .boolean: return .boolean
        case .any, .map: return nil
        case .array(let element):
            return convert(element, depth: depth, visiting: visiting).map { .array($0) }
        case .oneOf(let members):
            // Object members merge into one object type; the first scalar member decides otherwise.
            var merged = OData.FieldCatalog()
            for member in members {
                guard let t = convert(member.type, depth: depth, visiting: visiting) else { continue }
                if case .object(let fields) = t {
                    for (k, v) in fields.fields where merged.fields[k] == nil { merged.add(k, v) }
                } else if merged.fields.isEmpty {
                    return t
                }
            }
            return merged.fields.isEmpty ? nil : .object(merged)
        case .model(let name):
            guard let m = model(name) else { return nil }
            if m.kind == .enumeration { return .enumeration(EnumType(m.enumValues, qualifiedName: m.objectType)) }
            guard depth < maxDepth, !visiting.contains(name) else { return nil }
            var fields = OData.FieldCatalog()
            for p in m.properties where isIdentifier(p.name[...]) {
                if let t = convert(p.type, depth: depth + 1, visiting: visiting.union([name])) { fields.add(p.name, t) }
            }
            return .object(fields)
        }
    }

    private func isIdentifier(_ s: Substring) -> Bool {
        guard let f = s.utf8.first, f == UInt8(ascii: "_") || (f | 0x20) >= UInt8(ascii: "a") && (f | 0x20) <= UInt8(ascii: "z")
        else { return false }
        return s.utf8.allSatisfy { b in
            b == UInt8(ascii: "_") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || ((b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
