import FoundationEssentials
import OData
import PrismAPI

/// Turns a client's request body into the document the store keeps: the SDK bookkeeping
/// removed, server-owned fields (extId, timestamps, read-only properties) set by the server,
/// model defaults filled in, `$objectType` named.
struct DocumentBuilder {
    let model: Model?
    let objectType: String

    private static let createdNames: Set<String> = ["createTime", "createdTime", "creationTime"]
    private static let updatedNames: Set<String> = ["lastUpdateTime", "lastUpdatedTime", "updateTime", "updatedTime"]

    /// The document of a new entity.
    func create(from body: JSONObject, extId: String, now: Date) -> JSONObject {
        var doc = JSONObject([("extId", .string(extId))])
        for m in DocumentBuilder.stripBookkeeping(body) where m.key != "extId" && !isReadOnly(m.key) {
            doc[m.key] = m.value
        }
        if let model {
            for p in model.properties where doc[p.name] == nil {
                if let d = p.constraints.defaultValue { doc[p.name] = DocumentBuilder.json(d) }
            }
        }
        stamp(&doc, now: now, creating: true)
        doc["$objectType"] = nil
        doc["$objectType"] = .string(objectType)
        return doc
    }

    /// The document after a PUT: the body replaces the document, read-only fields stay as stored.
    func update(existing: JSONObject, with body: JSONObject, now: Date) -> JSONObject {
        var doc = JSONObject()
        for m in DocumentBuilder.stripBookkeeping(body) where !isReadOnly(m.key) && m.key != "extId" {
            doc[m.key] = m.value
        }
        for m in existing where m.key == "extId" || isReadOnly(m.key) {
            doc[m.key] = m.value
        }
        if doc["extId"] == nil, let id = existing["extId"] { doc["extId"] = id }
        stamp(&doc, now: now, creating: false)
        doc["$objectType"] = nil
        doc["$objectType"] = .string(objectType)
        return doc
    }

    private func isReadOnly(_ name: String) -> Bool {
        if name == "links" || name == "tenantId" { return true }
        return model?.property(named: name)?.readOnly ?? false
    }

    private func stamp(_ doc: inout JSONObject, now: Date, creating: Bool) {
        guard let model else { return }
        let time = JSON.string(Timestamp.rfc3339(now))
        for p in model.properties {
            guard case .string(let format) = p.type, format == "date-time" else { continue }
            if creating, DocumentBuilder.createdNames.contains(p.name) { doc[p.name] = time }
            if DocumentBuilder.updatedNames.contains(p.name) { doc[p.name] = time }
        }
    }

    /// Removes the SDKs' `$reserved` (which may carry a stale ETag) at the top and
    /// `$unknownFields` everywhere; nested `$objectType`/`$reserved` stay, as oneOf members need them.
    static func stripBookkeeping(_ body: JSONObject) -> JSONObject {
        var out = JSONObject()
        for m in body where m.key != "$reserved" && m.key != "$unknownFields" {
            out[m.key] = stripUnknown(m.value)
        }
        return out
    }

    private static func stripUnknown(_ value: JSON) -> JSON {
        switch value {
        case .object(let o):
            var out = JSONObject()
            for m in o where m.key != "$unknownFields" { out[m.key] = stripUnknown(m.value) }
            return .object(out)
        case .array(let items):
            return .array(items.map(stripUnknown))
        default:
            return value
        }
    }

    static func json(_ d: DefaultValue) -> JSON {
        switch d {
        case .string(let s): .string(s)
        case .bool(let b): .bool(b)
        case .number(let n): n == n.rounded() && abs(n) < 9e15 ? .int(Int64(n)) : .double(n)
        }
    }
}
