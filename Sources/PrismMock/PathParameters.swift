/// A routed request's path parameters (`extId`, `vmExtId`…), in template order. One to three per
/// operation: a search over an array beats a dictionary that hashes every name it stores and
/// every name it is asked for.
struct PathParameters: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private var entries: [(name: String, value: String)]

    init() { entries = [] }

    init(dictionaryLiteral elements: (String, String)...) {
        entries = []
        for (name, value) in elements { self[name] = value }
    }

    init(_ dictionary: [String: String]) {
        entries = dictionary.map { ($0.key, $0.value) }
    }

    static func == (lhs: PathParameters, rhs: PathParameters) -> Bool {
        lhs.entries.count == rhs.entries.count && lhs.entries.allSatisfy { rhs[$0.name] == $0.value }
    }

    var isEmpty: Bool { entries.isEmpty }

    subscript(name: String) -> String? {
        get {
            for i in entries.indices where entries[i].name == name { return entries[i].value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((name, newValue))
            }
        }
    }
}
