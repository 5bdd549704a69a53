import Synchronization

/// The live fault rules, shared by the admin API and the `FaultInjection` middleware. Matching
/// and counting `times` down happen under one lock, so a rule with `times: 2` fires exactly twice
/// however many requests race for it. Randomness is seeded, so a probability rule behaves the
/// same on every run with the same seed.
final class FaultRules: Sendable {
    private struct State {
        var rules: [FaultRule] = []
        var nextId = 1
        var random: SplitMix64
    }

    private let state: Mutex<State>
    /// Read without the lock on every request: with no rules (the usual case) there is nothing
    /// to match. Written under the lock whenever the rules change.
    private let isEmpty = Atomic<Bool>(true)

    init(seed: UInt64 = 0x5eed_0f_fa_17) {
        state = Mutex(State(random: SplitMix64(seed: seed)))
    }

    func add(_ make: (String) throws(FaultRuleError) -> FaultRule) throws(FaultRuleError) -> FaultRule {
        try state.withLock { (s: inout State) throws(FaultRuleError) -> FaultRule in
            let rule = try make("fault-\(s.nextId)")
            s.nextId += 1
            s.rules.append(rule)
            isEmpty.store(false, ordering: .releasing)
            return rule
        }
    }

    var all: [FaultRule] { state.withLock { $0.rules } }

    /// Removes one rule; false when there is none with that id.
    func remove(id: String) -> Bool {
        state.withLock { s in
            guard let i = s.rules.firstIndex(where: { $0.id == id }) else { return false }
            s.rules.remove(at: i)
            isEmpty.store(s.rules.isEmpty, ordering: .releasing)
            return true
        }
    }

    func removeAll() {
        state.withLock { s in
            s.rules.removeAll()
            isEmpty.store(true, ordering: .releasing)
        }
    }

    /// The first rule matching the request that also wins its probability draw; uses one of its
    /// `times`.
    func match(method: String, path: Substring) -> FaultRule? {
        if isEmpty.load(ordering: .acquiring) { return nil }
        return state.withLock { s in
            for i in s.rules.indices where s.rules[i].matches(method: method, path: path) {
                let rule = s.rules[i]
                if rule.probability < 1 {
                    let draw = Double(s.random.next() >> 11) / Double(1 << 53)
                    guard draw < rule.probability else { continue }
                }
                if let left = rule.times {
                    if left <= 1 { s.rules.remove(at: i) } else { s.rules[i].times = left - 1 }
                    isEmpty.store(s.rules.isEmpty, ordering: .releasing)
                }
                return rule
            }
            return nil
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", 2014): a
/// small seeded generator, so fault probabilities are reproducible.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
