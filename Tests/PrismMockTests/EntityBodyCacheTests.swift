import Testing

@testable import PrismMock

/// The cached GET-by-id bodies: the same bytes the envelope functions build, and never the bytes
/// of another document that happens to have the same ETag (a reset replays revisions).
struct EntityBodyCacheTests {
    func built(_ document: String, etag: String, objectType: String?, fv: String) -> [UInt8] {
        let data = Envelope.withReserved(document, fv: fv, etag: etag)
        return Array(
            Envelope.wrap(data: data, metadata: Envelope.metadata(paginated: false), objectType: objectType, fv: fv)
                .utf8)
    }

    @Test func aHitIsTheEnvelopeOfTheCurrentDocument() {
        let cache = EntityBodyCache()
        let document = #"{"extId":"a","name":"vm-1","description":"é"}"#
        let first = cache.body(document: document, etag: "e-1", objectType: "vmm.v4.ahv.config.GetVmApiResponse", fv: "v4.r1")
        let again = cache.body(document: document, etag: "e-1", objectType: "vmm.v4.ahv.config.GetVmApiResponse", fv: "v4.r1")
        #expect(first == built(document, etag: "e-1", objectType: "vmm.v4.ahv.config.GetVmApiResponse", fv: "v4.r1"))
        #expect(again == first)
        let other = cache.body(document: document, etag: "e-1", objectType: nil, fv: "v4.r1")
        #expect(other == built(document, etag: "e-1", objectType: nil, fv: "v4.r1"))
        #expect(other != first)
    }

    @Test func theSameETagWithAnotherDocumentIsRebuilt() {
        let cache = EntityBodyCache()
        let before = #"{"extId":"a","name":"before"}"#
        let after = #"{"extId":"a","name":"after!"}"#
        _ = cache.body(document: before, etag: "e-2", objectType: "T", fv: "v4.r0")
        let body = cache.body(document: after, etag: "e-2", objectType: "T", fv: "v4.r0")
        #expect(body == built(after, etag: "e-2", objectType: "T", fv: "v4.r0"))
        #expect(String(decoding: body, as: UTF8.self).contains("after!"))
    }

    @Test func byteEqualityIsNotCanonicalEquivalence() {
        // "é" precomposed and decomposed are equal Strings but different bytes.
        #expect("\u{E9}" == "e\u{301}")
        #expect(!EntityBodyCache.sameBytes("\u{E9}", "e\u{301}"))
        #expect(EntityBodyCache.sameBytes("abc", String("xabc".dropFirst())))
    }
}
