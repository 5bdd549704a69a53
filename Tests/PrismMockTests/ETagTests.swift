import Testing

@testable import PrismMock

/// The byte-built tag is the interpolated one: eight Characters of the extId, then the revision.
struct ETagTests {
    @Test(arguments: [
        "046b5b7b-a50d-52a1-a187-7bd2a0ab0537", "", "ab", "abcdefgh", "abcdefghi", "abcdefgh\u{301}xyz",
        "abc\r\ndefghij", "ééééééééé", "abcdefg\u{1F600}", "ZXJnb24=:0b8a",
    ])
    func matchesTheCharacterPrefix(extId: String) {
        for revision: Int64 in [0, 1, 42, -7, Int64.max] {
            #expect(ETag.make(extId: extId, revision: revision) == "\"\(extId.prefix(8))-r\(revision)\"")
        }
    }
}
