import OData

/// Why openapi/ could not be loaded. The catalog is part of the program: any of these is fatal at
/// start-up, so they name the file and what was wrong with it.
public enum CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalidJSON(file: String, offset: Int, reason: String)
    case malformed(file: String, at: String, reason: String)
    case empty(directory: String)
    case duplicateNamespace(String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .invalidJSON(let file, let offset, let reason): return "\(file): invalid JSON at byte \(offset): \(reason)"
        case .malformed(let file, let at, let reason): return "\(file): \(at): \(reason)"
        case .empty(let directory): return "\(directory): no <namespace>.json files"
        case .duplicateNamespace(let name): return "namespace \(name) defined twice"
        }
    }
}
