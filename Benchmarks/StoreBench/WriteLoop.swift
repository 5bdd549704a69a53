import EntityStore
import Foundation

/// `store-bench write-loop PATH [COUNT]`: the child process of the durability test.
///
/// Commits one entity per transaction (extId `w-<n>`), and only after `write` returned (the commit) prints
/// `<n>` on stdout with an unbuffered write, so every number the parent read is an acknowledged write.
enum WriteLoop {
    static func run(path: String, count: Int?) throws {
        let store = try EntityStore(StoreConfiguration(location: .file(path), readerCount: 1))
        var index = 0
        while count.map({ index < $0 }) ?? true {
            try store.write { transaction in
                try transaction.insert(
                    NewEntity(
                        namespace: "test", kind: "test.Item", extId: "w-\(index)",
                        document: #"{"index":\#(index),"padding":"\#(String(repeating: "x", count: 512))"}"#))
                _ = try transaction.replace(
                    namespace: "test", kind: "test.Item", extId: "w-\(index)",
                    document: #"{"index":\#(index),"replaced":true}"#, expectedRevision: 1)
            }
            FileHandle.standardOutput.write(Data("\(index)\n".utf8))
            index += 1
        }
    }
}
