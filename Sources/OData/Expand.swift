/// `$expand` (ABNF L296ff): `navProp [ "(" expandOption *( ";" expandOption ) ")" ]`, comma separated.
/// Nested `$filter`/`$orderby` are parsed for syntax only (the caller binds them against the
/// related resource's catalog); nested `$select` and `$expand` are parsed fully.
public struct ExpandItem: Sendable, Equatable {
    public var name: String
    /// Nested options as written, keyed by lowercased name without `$` (`filter`, `select`, …).
    public var options: [String: String]
    public var filter: Node?
    public var select: Selection?
    public var expand: [ExpandItem]

    static let knownOptions: Set<String> = [
        "filter", "select", "orderby", "expand", "top", "skip", "count",
        "levels", "search",
    ]

    static func parse(_ text: String, expandable: Set<String>?, base: Int = 0, maxDepth: Int = 8)
        throws(ODataError) -> [ExpandItem]
    {
        guard maxDepth > 0 else {
            throw ODataError(
                .depthExceeded, option: "$expand", offset: base, token: text, message: "$expand nested too deep")
        }
        var items: [ExpandItem] = []
        for (start, item) in try split(text, on: UInt8(ascii: ","), base: base) {
            let bytes = Array(item.utf8)
            let leading = bytes.prefix(while: { $0 == 0x20 }).count
            let nameEnd = bytes[leading...].firstIndex(where: { $0 == UInt8(ascii: "(") }) ?? bytes.count
            let name = String(decoding: bytes[leading..<nameEnd], as: UTF8.self).trimmingCharactersSpace()
            let offset = start + leading
            guard name == "*" || FieldCatalog.isIdentifier(name) else {
                throw ODataError(
                    .syntax, option: "$expand", offset: offset, token: name.isEmpty ? "end of input" : name,
                    message: "expected a navigation property name")
            }
            if let expandable, !expandable.contains(name), name != "*" {
                throw ODataError(
                    .unknownProperty, option: "$expand", offset: offset, token: name,
                    message: "'\(name)' cannot be expanded")
            }
            var expandItem = ExpandItem(name: name, options: [:], filter: nil, select: nil, expand: [])
            if nameEnd < bytes.count {
                let trailing = bytes.lastIndex(where: { $0 != 0x20 }) ?? nameEnd
                guard bytes[trailing] == UInt8(ascii: ")"), trailing > nameEnd else {
                    throw ODataError(
                        .syntax, option: "$expand", offset: start + trailing, token: item,
                        message: "expected ')' to close the options of '\(name)'")
                }
                let inner = String(decoding: bytes[(nameEnd + 1)..<trailing], as: UTF8.self)
                try expandItem.parseOptions(inner, base: start + nameEnd + 1, maxDepth: maxDepth)
            }
            items.append(expandItem)
        }
        return items
    }

    private mutating func parseOptions(_ text: String, base: Int, maxDepth: Int) throws(ODataError) {
        for (start, option) in try ExpandItem.split(text, on: UInt8(ascii: ";"), base: base) {
            guard let equals = option.firstIndex(of: "=") else {
                throw ODataError(
                    .syntax, option: "$expand", offset: start, token: option, message: "expected 'name=value'")
            }
            var key = String(option[..<equals]).trimmingCharactersSpace().lowercased()
            if key.hasPrefix("$") { key.removeFirst() }
            let value = String(option[option.index(after: equals)...])
            let valueOffset = start + option[...equals].utf8.count
            guard ExpandItem.knownOptions.contains(key) else {
                throw ODataError(
                    .invalidOption, option: "$expand", offset: start, token: key,
                    message: "unknown expand option")
            }
            options[key] = value
            do throws(ODataError) {
                switch key {
                case "filter": filter = try Parser.parseFilter(value, option: "$expand")
                case "select": select = try Selection.parse(value, selectable: nil)
                case "expand":
                    expand = try ExpandItem.parse(
                        value, expandable: nil, base: valueOffset,
                        maxDepth: maxDepth - 1)
                case "orderby":
                    var parser = try Parser(value, option: "$expand")
                    _ = try parser.orderByItems()
                case "top", "skip", "levels":
                    guard Int(value.trimmingCharactersSpace()).map({ $0 >= 0 }) == true || value == "max" else {
                        throw ODataError(
                            .invalidOption, option: "$expand", offset: valueOffset, token: value,
                            message: "expected a non-negative integer")
                    }
                default: break
                }
            } catch {
                var shifted = error
                if key != "expand" { shifted.offset += valueOffset }
                throw shifted
            }
        }
    }

    /// Splits at `separator` outside parentheses and quotes; yields (offset, piece).
    static func split(_ text: String, on separator: UInt8, base: Int) throws(ODataError) -> [(Int, String)] {
        let bytes = Array(text.utf8)
        var pieces: [(Int, String)] = []
        var depth = 0
        var quoted = false
        var start = 0
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "'") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "(") { depth += 1 }
            if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth < 0 {
                    throw ODataError(
                        .syntax, option: "$expand", offset: base + index, token: ")", message: "unbalanced ')'")
                }
            }
            if byte == separator, depth == 0 {
                pieces.append((base + start, String(decoding: bytes[start..<index], as: UTF8.self)))
                start = index + 1
            }
        }
        if depth != 0 || quoted {
            throw ODataError(
                .syntax, option: "$expand", offset: base + bytes.count, token: "end of input",
                message: quoted ? "unterminated string literal" : "expected ')'")
        }
        pieces.append((base + start, String(decoding: bytes[start...], as: UTF8.self)))
        return pieces
    }
}

extension String {
    func trimmingCharactersSpace() -> String { trimmingSpaces() }
}
