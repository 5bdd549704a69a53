import OData

/// Checks a request body against a catalog model: JSON types, enum members, required fields and
/// `$objectType` names. The SDKs' own bookkeeping (`$reserved`, `$unknownFields`,
/// `$objectType`, read-only fields such as `extId` and `links`) is accepted, as are members the
/// model does not declare (a newer client may send them; strict mode reports them).
public struct BodyValidator: Sendable {
    public let catalog: Catalog
    public let namespace: String
    /// Report members the model does not declare (contract-checking mode).
    public var rejectUnknownFields = false
    private let maxProblems = 50

    public init(catalog: Catalog, namespace: String) {
        self.catalog = catalog
        self.namespace = namespace
    }

    public func validate(_ body: JSON, as type: SchemaType) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        check(body, type, path: "", into: &problems)
        return problems
    }

    private func model(_ name: String) -> Model? {
        catalog.model(named: name, in: namespace) ?? catalog.model(named: name)
    }

    private func add(
        _ problems: inout [ValidationProblem], _ path: String, _ message: String,
        kind: ValidationProblem.Kind = .invalid
    ) {
        if problems.count < maxProblems {
            problems.append(ValidationProblem(attributePath: path.isEmpty ? "$" : path, message: message, kind: kind))
        }
    }

    private func check(_ value: JSON, _ type: SchemaType, path: String, into problems: inout [ValidationProblem]) {
        if value == .null { return }  // null means "not set" to every SDK generation.
        switch type {
        case .any:
            return
        case .string(let format):
            guard case .string(let s) = value else { return add(&problems, path, "must be a string") }
            if format == "date-time", !RFC3339.isValid(s) {
                add(&problems, path, "must be an RFC 3339 date-time, got '\(s)'")
            }
        case .integer:
            switch value {
            case .int: return
            case .double(let d) where d == d.rounded(): return
            default: add(&problems, path, "must be an integer")
            }
        case .number:
            switch value {
            case .int, .double: return
            default: add(&problems, path, "must be a number")
            }
        case .boolean:
            guard case .bool = value else { return add(&problems, path, "must be a boolean") }
        case .array(let element):
            guard case .array(let items) = value else { return add(&problems, path, "must be an array") }
            for (i, item) in items.enumerated() { check(item, element, path: "\(path)[\(i)]", into: &problems) }
        case .map(let element):
            guard case .object(let o) = value else { return add(&problems, path, "must be an object") }
            for m in o where !m.key.hasPrefix("$") { check(m.value, element, path: join(path, m.key), into: &problems) }
        case .model(let name):
            checkModel(value, name, path: path, into: &problems)
        case .oneOf(let members):
            checkOneOf(value, members, path: path, into: &problems)
        }
    }

    private func checkModel(_ value: JSON, _ name: String, path: String, into problems: inout [ValidationProblem]) {
        guard let model = model(name) else { return }
        if model.kind == .enumeration {
            guard case .string(let s) = value else { return add(&problems, path, "must be a string enum value") }
            if !model.enumValues.contains(s) {
                let allowed = model.enumValues.filter { !$0.hasPrefix("$") }.joined(separator: ", ")
                add(&problems, path, "'\(s)' is not one of \(allowed)")
            }
            return
        }
        guard case .object(let o) = value else { return add(&problems, path, "must be an object (\(model.objectType))") }
        if case .string(let declared) = o["$objectType"], declared != model.objectType {
            add(&problems, join(path, "$objectType"), "expected '\(model.objectType)', got '\(declared)'")
        }
        for property in model.properties {
            guard let member = o[property.name] else {
                if model.required.contains(property.name) && !property.readOnly {
                    add(&problems, join(path, property.name), "is required")
                }
                continue
            }
            check(member, property.type, path: join(path, property.name), into: &problems)
        }
        if rejectUnknownFields {
            for m in o where !m.key.hasPrefix("$") && model.property(named: m.key) == nil {
                add(&problems, join(path, m.key), "is not a property of \(model.objectType)", kind: .unknownField)
            }
        }
    }

    private func checkOneOf(_ value: JSON, _ members: [OneOfMember], path: String, into problems: inout [ValidationProblem]) {
        // Objects are told apart by `$objectType` (sdk-contract.md §e); other shapes by JSON type.
        if case .object(let o) = value, case .string(let declared) = o["$objectType"] {
            guard let member = members.first(where: { memberObjectType($0.type) == declared }) else {
                let allowed = members.compactMap { memberObjectType($0.type) }.joined(separator: ", ")
                return add(&problems, join(path, "$objectType"), "'\(declared)' is not one of \(allowed)")
            }
            return check(value, member.type, path: path, into: &problems)
        }
        for member in members {
            var trial: [ValidationProblem] = []
            check(value, member.type, path: path, into: &trial)
            // A member that fits but for undeclared members is the match; those members stay reported.
            if trial.allSatisfy({ $0.kind == .unknownField }) {
                for p in trial { add(&problems, p.attributePath, p.message, kind: p.kind) }
                return
            }
        }
        if case .object = value {
            add(&problems, join(path, "$objectType"), "is required to choose among the oneOf members")
        } else {
            add(&problems, path, "matches none of the allowed types")
        }
    }

    private func memberObjectType(_ type: SchemaType) -> String? {
        if case .model(let name) = type { return model(name)?.objectType ?? name }
        return nil
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// RFC 3339 §5.6 `date-time`, the form Prism Central sends and accepts.
enum RFC3339 {
    static func isValid(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func digits(_ r: Range<Int>) -> Bool {
            r.upperBound <= b.count && r.allSatisfy { b[$0] >= 48 && b[$0] <= 57 }
        }
        guard b.count >= 20, digits(0..<4), b[4] == 45, digits(5..<7), b[7] == 45, digits(8..<10),
            b[10] == 84 || b[10] == 116 || b[10] == 32, digits(11..<13), b[13] == 58, digits(14..<16), b[16] == 58,
            digits(17..<19)
        else { return false }
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == 90 || b[i] == 122 { return i + 1 == b.count }
        guard b[i] == 43 || b[i] == 45 else { return false }
        return i + 6 == b.count && digits(i + 1..<i + 3) && b[i + 3] == 58 && digits(i + 4..<i + 6)
    }
}
