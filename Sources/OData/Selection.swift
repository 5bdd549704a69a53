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

extension JSONValue {
    /// The document reduced to the selected paths, keeping `$objectType`, `$reserved` and `extId`
    /// that the SDKs need to deserialize an item (odata.md §4).
    public func projected(_ selection: Selection) -> JSONValue {
        guard case .paths(let paths) = selection, case .object(let members) = self else { return self }
        var result: [String: JSONValue] = [:]
        for key in ["$objectType", "$reserved", "extId"] { result[key] = members[key] }
        for path in paths {
            guard let first = path.first, let value = members[first] else { continue }
            if path.count == 1 {
                result[first] = value
                continue
            }
            let below = value.projected(.paths([Array(path.dropFirst())]))
            if case .object(let existing)? = result[first], case .object(let more) = below {
                result[first] = .object(existing.merging(more) { _, new in new })
            } else if case .object = value {
                result[first] = below
            }
        }
        return .object(result)
    }
}
