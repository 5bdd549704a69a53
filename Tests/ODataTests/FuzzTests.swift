import Foundation
import Testing

@testable import OData

/// Random and mutated inputs never crash, hang or overflow the stack: each gives a query or an
/// `ODataError` positioned inside the input. `ODATA_FUZZ_ITERATIONS=1000000` runs the long campaign.
struct FuzzTests {
    static let fragments = [
        "name", "eq", " ", "  ", "(", ")", "'", "''", "and", "or", "not", "-", "1", "1.5e", "e+", "2024-01-01",
        "T10:00:00Z", "any(", "all(", "d:", "d/", "/", ",", "contains(", "disks", "'x'", "Ns.T'", "null", "in",
        "has", "add", "mod", "divby", "$it", "\t", "é", "😀", "numSockets", "powerState", "'ON'", "createTime",
        "0005f7bf-3e2b-4a41-0000-000000029d0e", "cluster/extId", "tags", "nics/any(n:n/ipAddresses/all(i:i eq '1'))",
        "INF", "NaN", "true", "gt", "ge", "substring(name,", "07:00", "duration'P1D'", "%", "*", ";", ":", "\u{0}",
        "9223372036854775808", "-9223372036854775808", ".", "..", "isof(", "cast(", "round(", "now()", "+",
    ]

    static func mutate(_ input: String, _ random: inout SeededGenerator) -> String {
        var bytes = Array(input.utf8)
        for _ in 0..<random.int(1, 4) {
            let position = bytes.isEmpty ? 0 : random.int(0, bytes.count)
            switch random.int(0, 5) {
            case 0 where !bytes.isEmpty:
                let end = min(bytes.count, position + random.int(1, 6))
                if position < end { bytes.removeSubrange(position..<end) }
            case 1: bytes.insert(contentsOf: Array(random.pick(fragments).utf8), at: position)
            case 2 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
            case 3 where position < bytes.count:
                bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + random.int(1, 12))], at: position)
            case 4: bytes = Array(bytes.prefix(position))
            default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func input(_ random: inout SeededGenerator, _ generator: inout FilterGenerator) -> String {
        switch random.int(0, 9) {
        case 0, 1: return (0..<random.int(1, 14)).map { _ in random.pick(fragments) }.joined()
        case 2:
            let bytes = (0..<random.int(0, 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return String(decoding: bytes, as: UTF8.self)
        case 3:
            let depth = random.int(90, 400)
            let opener = random.pick(["(", "not ", "-", "contains(", "disks/any(d:"])
            return String(repeating: opener, count: depth) + "name" + String(repeating: ")", count: depth)
        case 4, 5, 6: return generator.predicate(3)
        default: return mutate(generator.predicate(3), &random)
        }
    }

    @Test func randomAndMutatedInputsAlwaysGiveAResultOrAnError() throws {
        let iterations = ProcessInfo.processInfo.environment["ODATA_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 20_000
        var random = SeededGenerator(seed: 0xF022)
        var generator = FilterGenerator(seed: 0xF023)
        var documentRandom = SeededGenerator(seed: 5)
        let documents = (0..<4).map { Fixtures.document(&documentRandom, index: $0) }
        var accepted = 0
        var rejected = 0
        let start = Date()
        for _ in 0..<iterations {
            let text = FuzzTests.input(&random, &generator)
            do {
                let query = try ODataQuery.parse(
                    filter: text, orderby: random.chance(10) ? text : nil,
                    catalog: Fixtures.catalog)
                accepted += 1
                for document in documents { _ = query.matches(document) }
                do {
                    _ = try query.sqlWhere()
                } catch {
                    #expect(error.kind == .unsupportedInSQL)
                }
                if let syntax = query.filterSyntax, let printed = query.canonicalFilter {
                    #expect(try Parser.parseFilter(printed) == syntax, "input: \(text)")
                }
            } catch {
                rejected += 1
                #expect(error.offset >= 0 && error.offset <= text.utf8.count, "input: \(text)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(accepted + rejected == iterations)
        #expect(accepted > iterations / 20)
        #expect(rejected > iterations / 20)
        print(
            "fuzz: \(iterations) inputs, \(accepted) accepted, \(rejected) rejected in "
                + "\(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}
