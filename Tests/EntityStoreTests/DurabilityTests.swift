import Dispatch
import Foundation
import Testing

@testable import EntityStore

/// A real child process (`store-bench write-loop`) writing to a real file, killed with SIGKILL.
///
/// `swift test` does not build executables nobody links against, so `scripts/test` runs `swift build` first;
/// the test fails with a message saying so when the binary is absent.
struct WriteLoopDurabilityTests {
    /// `store-bench` sits next to the test bundle in the build directory.
    static func storeBench() -> URL? {
        let candidates = [
            Bundle.main.bundleURL,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        return candidates.map { $0.appendingPathComponent("store-bench") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test(arguments: [20, 300, 1_500])
    func everyAcknowledgedWriteSurvivesSIGKILL(wanted: Int) throws {
        let binary = try #require(
            Self.storeBench(),
            "store-bench is not built next to \(Bundle.main.bundlePath): run `swift build` before `swift test`")
        let directory = try TemporaryDirectory()
        let path = directory.path("killed.sqlite")
        let child = Process()
        child.executableURL = binary
        child.arguments = ["write-loop", path]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let pid = child.processIdentifier
        // A bound, not a wait: if the child stalls, kill it so the read below ends at EOF.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { kill(pid, SIGKILL) }

        var text = ""
        let reader = output.fileHandleForReading
        while text.reduce(0, { $1 == "\n" ? $0 + 1 : $0 }) < wanted {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // the child exited on its own: fails below
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(pid, SIGKILL)
        child.waitUntilExit()
        // Whatever the child printed before dying was acknowledged too.
        text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)

        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        // Only complete lines count: a number cut off mid-line was never fully acknowledged.
        let acknowledged = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap {
            Int($0)
        }
        #expect(acknowledged.count >= wanted)
        #expect(acknowledged == Array(0..<acknowledged.count))

        let store = try EntityStore(StoreConfiguration(location: .file(path)))
        #expect(try store.integrityCheck() == ["ok"])
        var missing: [Int] = []
        for index in acknowledged {
            let entity = try store.get(namespace: "test", kind: "test.Item", extId: "w-\(index)")
            if entity?.revision != 2 || entity?.document.contains("\"replaced\":true") != true { missing.append(index) }
        }
        #expect(missing == [])
        // A write the child committed but had not yet reported may exist; none beyond that one.
        let stored = try store.list(namespace: "test", kind: "test.Item", limit: 0).totalCount
        #expect(stored == acknowledged.count || stored == acknowledged.count + 1)
    }
}
