import EntityStore
import OData

/// The task list's SQL, reading the `tasks` table's own columns where a filter or order names a
/// field the row keeps outside the document: `status` (always written together with the
/// document's `status`) and `createdAt` (the same instant as `createdTime`, in microseconds, so
/// it sorts the same). A column read costs no JSON parse per row, which is what keeps a filter
/// over 10,000 tasks in milliseconds (issue 7 point 7).
enum TaskListSQL {
    private static let document = StoreSchema.Tasks.document

    static func whereSQL(_ sql: String?) -> String? {
        sql?.replacingAll("json_extract(\(document), '$.status')", with: StoreSchema.Tasks.status)
    }

    /// Only in the order: `$orderby=createdTime` sorts by `julianday()` of the text, which the
    /// integer column replaces (finer than julianday's milliseconds, never in another order).
    static func orderBySQL(_ sql: String?) -> String? {
        sql?.replacingAll("json_extract(\(document), '$.status')", with: StoreSchema.Tasks.status)
            .replacingAll("julianday(json_extract(\(document), '$.createdTime'))", with: StoreSchema.Tasks.createdAt)
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
