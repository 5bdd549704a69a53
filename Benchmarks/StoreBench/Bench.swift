import EntityStore
import Foundation

/// The store benchmarks; prints one table row per measurement.
struct Bench {
    let count: Int
    let location: StoreConfiguration.Location
    /// Stop after the insert (for profiling it alone).
    var insertOnly = false

    func run() throws {
        let entities = (0..<count).map { index in
            NewEntity(
                namespace: VMDocument.namespace, kind: VMDocument.kind, extId: VMDocument.extId(index),
                document: VMDocument.json(index))
        }
        let averageBytes = entities.reduce(0) { $0 + $1.document.utf8.count } / max(1, entities.count)
        // What keeping the side table costs the bulk load: the same load into a store that declares nothing.
        do {
            let plain = try EntityStore(StoreConfiguration(location: .memory))
            let cpuBefore = Self.cpuSeconds()
            let insert = try measure { try plain.write { try $0.insert(contentsOf: entities) } }
            let cpu = Self.cpuSeconds() - cpuBefore
            print(pad("insert \(count), no declared paths", 44) + pad(format(insert), 16) + "CPU \(format(cpu))")
            plain.close()
        }
        // The VM paths pcmock declares (Sources/PrismMock/ValuePaths.swift).
        let declared: [ValuePath] = [
            .scalar("name", indexed: true), .scalar("powerState"), .scalar("cluster/extId"),
            .element(of: "nics", "networkInfo/subnet/extId"),
        ]
        let store = try EntityStore(StoreConfiguration(location: location, valuePaths: [VMDocument.kind: declared]))
        print("store-bench: \(count) VM documents, \(averageBytes) bytes average, db \(store.path)")
        print("declared paths: " + declared.map(\.key).joined(separator: ", "))
        print(pad("measurement", 44) + pad("result", 16) + "detail")

        let cpuBefore = Self.cpuSeconds()
        let insert = try measure { try store.write { try $0.insert(contentsOf: entities) } }
        let cpu = Self.cpuSeconds() - cpuBefore
        row("insert \(count) (one transaction)", insert, "\(Int(Double(count) / insert)) rows/s, CPU \(format(cpu))")
        let drain = try measure { try store.write { _ in } }
        row("next write after it (waits for checkpoint)", drain, "the WAL checkpoint runs after the caller's commit")
        if insertOnly { return }

        var generator = SplitMix(seed: 42)
        let ids = (0..<100_000).map { _ in VMDocument.extId(Int(generator.next() % UInt64(count))) }
        for id in ids.prefix(1_000) {
            _ = try store.get(namespace: VMDocument.namespace, kind: VMDocument.kind, extId: id)
        }
        let gets = try ids.map { id in
            try measure { _ = try store.get(namespace: VMDocument.namespace, kind: VMDocument.kind, extId: id) }
        }
        row("get by id p50", percentile(gets, 0.5), "p99 \(format(percentile(gets, 0.99))), \(gets.count) gets")

        let pages = try (0..<200).map { page in
            try measure {
                _ = try store.list(
                    namespace: VMDocument.namespace, kind: VMDocument.kind, limit: 50, offset: (page % 20) * 50)
            }
        }
        row("list 50 + count, p50", percentile(pages, 0.5), "p99 \(format(percentile(pages, 0.99)))")

        let filter = "json_extract(document, '$.powerState') = ?"
        let filtered = try (0..<10).map { _ in
            try measure {
                _ = try store.list(
                    namespace: VMDocument.namespace, kind: VMDocument.kind, whereSQL: filter, arguments: ["OFF"],
                    limit: 50)
            }
        }
        row("list 50 + count, $filter no index, p50", percentile(filtered, 0.5), "json_extract on every row")

        let indexing = try measure { try store.createIndex(jsonPath: "$.powerState", rowsPerValue: count / 3) }
        row("createIndex $.powerState", indexing, "")
        let indexed = try (0..<50).map { _ in
            try measure {
                _ = try store.list(
                    namespace: VMDocument.namespace, kind: VMDocument.kind, whereSQL: filter, arguments: ["OFF"],
                    limit: 50)
            }
        }
        row("list 50 + count, $filter indexed, p50", percentile(indexed, 0.5), "")

        try store.createIndex(jsonPath: "$.name")
        let ordered = try (0..<50).map { _ in
            try measure {
                _ = try store.list(
                    namespace: VMDocument.namespace, kind: VMDocument.kind,
                    orderBySQL: "json_extract(document, '$.name') DESC", limit: 50)
            }
        }
        row("list 50 + count, $orderby name, p50", percentile(ordered, 0.5), "indexed")

        let save = try measure { try store.saveSnapshot(named: "bench") }
        row("snapshot save (\(count) rows)", save, "")
        let restore = try measure { try store.restoreSnapshot(named: "bench") }
        row("snapshot restore (\(count) rows)", restore, "")
        store.deleteSnapshot(named: "bench")

        let fixtures = Array(entities.prefix(60))
        let firstReset = try measure { try store.reset { try $0.insert(contentsOf: fixtures) } }
        row("reset \(count) rows -> 60 fixtures", firstReset, "")
        let resets = try (0..<50).map { _ in try measure { try store.reset { try $0.insert(contentsOf: fixtures) } } }
        row("reset 60 -> 60 fixtures, p50", percentile(resets, 0.5), "p99 \(format(percentile(resets, 0.99)))")

        let singles = try (0..<2_000).map { index in
            try measure {
                _ = try store.write { transaction in
                    try transaction.replace(
                        namespace: VMDocument.namespace, kind: VMDocument.kind, extId: VMDocument.extId(index % 60),
                        document: VMDocument.json(index), expectedRevision: nil)
                }
            }
        }
        row("write transaction (1 replace), p50", percentile(singles, 0.5), "p99 \(format(percentile(singles, 0.99)))")
    }

    /// User + system CPU of this process: unlike wall time, not inflated by other load on the machine.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private func measure(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private func percentile(_ samples: [Double], _ fraction: Double) -> Double {
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    private func row(_ name: String, _ seconds: Double, _ detail: String) {
        print(pad(name, 44) + pad(format(seconds), 16) + detail)
    }

    private func format(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(format: "%.1f µs", seconds * 1e6)
        case ..<1: String(format: "%.2f ms", seconds * 1e3)
        default: String(format: "%.3f s", seconds)
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// A tiny deterministic generator, so every run gets the same ids.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
