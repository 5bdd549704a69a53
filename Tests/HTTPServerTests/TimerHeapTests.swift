@testable import HTTPServer
import Testing

/// The event loop's deadlines: popped earliest first, and still in order after stale entries
/// are pruned out of the middle of the heap.
struct TimerHeapTests {
    final class Target: LoopTimerTarget {
        var live: Set<UInt64> = []
        func timerFired(scheduledAt: UInt64) {}
        func isWaiting(for deadline: UInt64) -> Bool { live.contains(deadline) }
    }

    private func drain(_ heap: inout TimerHeap) -> [UInt64] {
        var order: [UInt64] = []
        while let first = heap.first {
            order.append(first.at)
            heap.popFirst()
        }
        return order
    }

    @Test func entriesComeOutEarliestFirst() {
        var generator = SystemRandomNumberGenerator()
        let deadlines = (0..<500).map { _ in UInt64.random(in: 0...1_000, using: &generator) }
        let target = Target()
        var heap = TimerHeap()
        for deadline in deadlines { heap.push(.init(at: deadline, target: target)) }
        #expect(heap.count == 500)
        #expect(drain(&heap) == deadlines.sorted())
        #expect(heap.first == nil)
    }

    @Test func pruningKeepsTheRestInOrder() {
        let target = Target()
        var heap = TimerHeap()
        let deadlines: [UInt64] = (1...200).map { ($0 * 7_919) % 1_000 }
        for deadline in deadlines { heap.push(.init(at: deadline, target: target)) }
        target.live = Set(deadlines.filter { $0 % 3 == 0 })
        heap.removeAll { !$0.target.isWaiting(for: $0.at) }
        #expect(drain(&heap) == deadlines.filter { $0 % 3 == 0 }.sorted())
    }
}
