/// `$select` (ABNF L380ff): `*` or a comma list of property paths `a/b`.
public enum Selection: Sendable, Equatable {
    case all
    case paths([[String]])

    static func parse(_ text: String, selectable: Set<String>?) throws(ODataError) -> Selection {
        var paths: [[String]] = []
        var offset = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let itemOffset = offset + item.prefix(while: { $0 == " " }).utf8.count
            offset += item.utf8.count + 1
            let trimmed = item.trimmingSpaces()
            if trimmed == "*" { return .all }
            let segments = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard segments.allSatisfy(FieldCatalog.isIdentifier) else {
                throw ODataError(
                    .syntax, option: "$select", offset: itemOffset,
                    token: trimmed.isEmpty ? "end of input" : trimmed,
                    message: "expected a property path")
            }
            if let selectable, !selectable.contains(trimmed) {
                throw ODataError(
                    .unknownProperty, option: "$select", offset: itemOffset, token: trimmed,
                    message: "'\(trimmed)' cannot be selected")
            }
            paths.append(segments)
        }
        return .paths(paths)
    }
}

extension JSON {
    /// The document reduced to `$select`'s paths (see `projected(_: [[String]])`).
    public func projected(_ selection: Selection) -> JSON {
        guard case .paths(let paths) = selection else { return self }
        return projected(paths)
    }
}
