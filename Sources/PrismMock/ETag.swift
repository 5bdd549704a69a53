import EntityStore

/// Strong validators (RFC 9110 §8.8.3) derived from the store's revision. The extId prefix keeps
/// two entities' tags apart, so a tag sent to the wrong entity is stale rather than accepted.
enum ETag {
    static func make(extId: String, revision: Int64) -> String {
        "\"\(extId.prefix(8))-r\(revision)\""
    }

    /// The revision an `If-Match` value names for this entity, nil when it names another entity,
    /// is weak-compared only, or is not ours. `*` matches any current revision (RFC 9110 §13.1.1).
    static func matches(_ header: String, entity: StoredEntity) -> Bool {
        let current = make(extId: entity.extId, revision: entity.revision)
        for raw in header.split(separator: ",") {
            let tag = raw.trimmingSpaces()
            if tag == "*" || tag == current { return true }
        }
        return false
    }

    /// `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored.
    static func noneMatchHits(_ header: String, current: String) -> Bool {
        for raw in header.split(separator: ",") {
            var tag = raw.trimmingSpaces()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == current { return true }
        }
        return false
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
