import OData

/// A change to one member of a stored document, applied to the document as it is when the task
/// completes rather than to the copy the request saw: two tasks that each add a disk to a VM
/// both land, where two whole-document replaces would make the second one stale. Items are
/// matched by `extId`.
struct DocumentEdit: Sendable, Equatable {
    enum Operation: String, Sendable {
        /// Adds `item`; with `ifAbsent`, an item with the same extId already there is kept instead.
        case append
        /// Replaces the item with `item`'s extId; it must be there.
        case replace
        /// Removes the item `extId` names; it must be there unless `ifAbsent`.
        case remove
        /// Sets the member `field` to `item` (removes it when `item` is nil).
        case set
    }

    var operation: Operation
    /// The document member holding the array (`disks`, `categories`…), or the one `set` sets.
    var field: String
    var extId: String
    var item: JSON? = nil
    /// `append`: keep an existing item; `remove`: a missing item is not an error.
    var lenient = false

    static func append(_ field: String, _ item: JSON, ifAbsent: Bool = false) -> DocumentEdit {
        DocumentEdit(
            operation: .append, field: field, extId: item["extId"]?.stringValue ?? "", item: item, lenient: ifAbsent)
    }

    static func replace(_ field: String, _ item: JSON) -> DocumentEdit {
        DocumentEdit(operation: .replace, field: field, extId: item["extId"]?.stringValue ?? "", item: item)
    }

    static func remove(_ field: String, extId: String, ifPresent: Bool = false) -> DocumentEdit {
        DocumentEdit(operation: .remove, field: field, extId: extId, lenient: ifPresent)
    }

    static func set(_ field: String, _ value: JSON?) -> DocumentEdit {
        DocumentEdit(operation: .set, field: field, extId: "", item: value)
    }

    /// Applies the edit; returns false when the item it needs is not there (nothing changes then).
    func apply(to doc: inout JSONObject) -> Bool {
        var items = doc[field]?.arrayValue ?? []
        let index = items.firstIndex { $0["extId"]?.stringValue == extId }
        switch operation {
        case .set:
            doc[field] = item
            return true
        case .append:
            if index != nil, lenient { return true }
            items.append(item ?? .null)
        case .replace:
            guard let index, let item else { return false }
            items[index] = item
        case .remove:
            guard let index else { return lenient }
            items.remove(at: index)
        }
        // An emptied list is left out, as Prism Central leaves out a VM's absent devices.
        doc[field] = items.isEmpty ? nil : .array(items)
        return true
    }

    func json() -> JSON {
        var o = JSONObject([("op", .string(operation.rawValue)), ("field", .string(field)), ("extId", .string(extId))])
        if let item { o["item"] = item }
        if lenient { o["lenient"] = .bool(true) }
        return .object(o)
    }

    init?(json: JSON) {
        guard let raw = json["op"]?.stringValue, let op = Operation(rawValue: raw),
            let field = json["field"]?.stringValue, let extId = json["extId"]?.stringValue
        else { return nil }
        self.init(operation: op, field: field, extId: extId, item: json["item"], lenient: json["lenient"]?.boolValue ?? false)
    }

    init(operation: Operation, field: String, extId: String, item: JSON? = nil, lenient: Bool = false) {
        self.operation = operation
        self.field = field
        self.extId = extId
        self.item = item
        self.lenient = lenient
    }
}
