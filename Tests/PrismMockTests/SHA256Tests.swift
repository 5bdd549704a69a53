import Testing

@testable import PrismMock

/// FIPS 180-4 examples (NIST CSRC "Example Algorithms", SHA-256) plus the padding boundaries,
/// whose digests come from Python's hashlib, an independent implementation.
struct SHA256Tests {
    static let message896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            SHA256Tests.message896,
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    /// 55 bytes is the longest message whose padding fits its own block; 56–63 need a second one.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
    }

    @Test func oneMillionAs() {
        let digest = SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [0, 1, 55, 64, 100])
    func incrementalUpdatesEqualOneShot(split: Int) {
        let message = Array(
            SHA256Tests.message896
                .utf8)
        var s = SHA256()
        s.update(message[..<split])
        s.update(message[split...])
        #expect(Hex.encode(s.finalize()) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    /// The fixtures README publishes the service account's key and the hash the fixture stores.
    @Test func fixtureKeyHashMatchesTheFixture() {
        let key = "pcmock-svc-automation-3f9c2a7e5b1d4086a2c4e6f8b0d2f4a6"
        let stored = FixtureData.items("iam.authn.users.keys.json").first?["$pcmock"]?["apiKeySha256"]?.stringValue
        #expect(SHA256.hex(Array(key.utf8)) == stored)
    }

    @Test func constantTimeEqualityComparesWholeValues() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equalSecrets("Nutanix/4u", "Nutanix/4u"))
        #expect(!ConstantTime.equalSecrets("Nutanix/4u", "Nutanix/4U"))
    }
}
