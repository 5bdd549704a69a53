import Glibc
import Synchronization

/// Enveloped single-entity bodies (`{"data":<document + $reserved>,"metadata":…}`), kept so that
/// a GET of an unchanged entity does not splice and copy its document again. The body is a pure
/// function of the document, its ETag, the response model and `$fv`; an entry is used only when
/// the document it was built from is byte for byte the current one, so a reset or restore that
/// brings back an ETag with other content cannot serve stale bytes.
final class EntityBodyCache: Sendable {
    private struct Key: Hashable {
        var etag: String
        var objectType: String?
        var fv: String
    }

    private struct Entry {
        var document: String
        var body: [UInt8]
    }

    /// Bounded: a client walking thousands of entities must not grow memory; when full it starts
    /// over, which costs one rebuild per entity.
    static let capacity = 256
    private let entries = Mutex<[Key: Entry]>([:])

    func body(document: String, etag: String, objectType: String?, fv: String) -> [UInt8] {
        let key = Key(etag: etag, objectType: objectType, fv: fv)
        if let hit = entries.withLock({ $0[key] }), EntityBodyCache.sameBytes(hit.document, document) {
            return hit.body
        }
        let data = Envelope.withReserved(document, fv: fv, etag: etag)
        let body = Array(
            Envelope.wrap(data: data, metadata: Envelope.metadata(paginated: false), objectType: objectType, fv: fv)
                .utf8)
        entries.withLock { map in
            if map.count >= EntityBodyCache.capacity { map.removeAll(keepingCapacity: true) }
            map[key] = Entry(document: document, body: body)
        }
        return body
    }

    /// Byte equality (not String's canonical equivalence, which may equate different bytes).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let fast: Bool?? = a.utf8.withContiguousStorageIfAvailable { x -> Bool? in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                guard x.count == y.count else { return false }
                guard let p = x.baseAddress, let q = y.baseAddress, p != q else { return true }
                return memcmp(p, q, x.count) == 0
            }
        }
        if let result = fast ?? nil { return result }
        return a.utf8.elementsEqual(b.utf8)
    }
}
