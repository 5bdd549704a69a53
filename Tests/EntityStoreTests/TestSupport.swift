import Foundation
import Synchronization

@testable import EntityStore

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// A directory of its own per test, removed with everything in it when released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

enum Fixture {
    static let namespace = "vmm"
    static let vm = "vmm.v4.ahv.config.Vm"
    static let disk = "vmm.v4.ahv.config.Disk"

    static func store(
        clock: TestClock = TestClock(), location: StoreConfiguration.Location = .memory, journalCapacity: Int = 1_000
    ) throws -> EntityStore {
        try EntityStore(
            StoreConfiguration(
                location: location, readerCount: 2, journalCapacity: journalCapacity, clock: { clock.now }))
    }

    static func vm(_ extId: String, name: String = "vm", power: String = "ON", disks: [Int] = []) -> NewEntity {
        let sizes = disks.map { #"{"sizeBytes":\#($0)}"# }.joined(separator: ",")
        return NewEntity(
            namespace: namespace, kind: vm, extId: extId,
            document: #"{"extId":"\#(extId)","name":"\#(name)","powerState":"\#(power)","disks":[\#(sizes)]}"#)
    }

    static func disk(_ extId: String, parent: String, kind: String = disk) -> NewEntity {
        NewEntity(
            namespace: namespace, kind: kind, extId: extId, parentExtId: parent, document: #"{"extId":"\#(extId)"}"#)
    }

    /// Counts rows by scanning, bypassing `entity_counts`.
    static func scannedCount(_ store: EntityStore, kind: String = vm) throws -> Int {
        try store.list(namespace: namespace, kind: kind, whereSQL: "1 = 1", limit: 0).totalCount
    }
}
