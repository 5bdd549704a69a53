import EntityStore
import Foundation

// store-bench [--db PATH] [--count N] [--insert-only]   benchmarks (build with -c release)
// store-bench write-loop PATH [COUNT]    hidden: the durability test's child process
// store-bench dump-sql PATH [COUNT]      hidden: creates an empty store at PATH and prints the bench's inserts as
//                                        SQL text, to time the same statements in the sqlite3 CLI

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let at = arguments.firstIndex(of: name), at + 1 < arguments.count else { return nil }
    return arguments[at + 1]
}

do {
    if arguments.first == "write-loop" {
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: store-bench write-loop PATH [COUNT]\n".utf8))
            exit(2)
        }
        try WriteLoop.run(path: arguments[1], count: arguments.count > 2 ? Int(arguments[2]) : nil)
    } else if arguments.first == "dump-sql", arguments.count >= 2 {
        _ = try EntityStore(StoreConfiguration(location: .file(arguments[1])))
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
        let columns = "namespace, kind, extId, parentExtId, revision, createdAt, updatedAt, owner, document"
        var out = ""
        for index in 0..<count {
            let document = VMDocument.json(index).replacingOccurrences(of: "'", with: "''")
            out += "INSERT INTO entities(\(columns)) VALUES ('\(VMDocument.namespace)', '\(VMDocument.kind)', "
            out += "'\(VMDocument.extId(index))', NULL, 1, 0, 0, NULL, '\(document)');\n"
            if out.utf8.count > 1 << 20 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    } else {
        let count = option("--count").flatMap(Int.init) ?? 100_000
        let location: StoreConfiguration.Location = option("--db").map { .file($0) } ?? .memory
        try Bench(count: count, location: location, insertOnly: arguments.contains("--insert-only")).run()
    }
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
