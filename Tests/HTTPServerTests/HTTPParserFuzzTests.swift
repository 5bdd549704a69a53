import Testing

@testable import HTTPServer

/// SplitMix64: a fixed seed makes every run feed the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

struct HTTPParserFuzzTests {
    /// Valid requests with bytes flipped, dropped or duplicated: whatever the parser makes of
    /// them, it must make the same of them however the input is split, and never crash.
    @Test func mangledRequestsParseTheSameWhateverTheSplit() {
        var random = SeededGenerator(state: 2026)
        let seeds = (HTTPParserTests.valid + HTTPParserTests.invalid).map(\.input)
        let alphabet = Array("\r\n :;,0123456789abcdefHTTP/1.-\t\u{0}".utf8)
        for _ in 0..<400 {
            var input = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            for _ in 0..<Int.random(in: 1...4, using: &random) where !input.isEmpty {
                let index = Int.random(in: 0..<input.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: input[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                case 1: input.remove(at: index)
                default: input.insert(input[index], at: index)
                }
            }
            let whole = ParserCase.run([input[...]])
            for _ in 0..<3 {
                let split = Int.random(in: 0...input.count, using: &random)
                #expect(ParserCase.run([input[..<split], input[split...]]) == whole, "\(input) split at \(split)")
            }
            #expect(ParserCase.run(input.indices.map { input[$0...$0] }) == whole, "\(input) byte by byte")
        }
    }
}
