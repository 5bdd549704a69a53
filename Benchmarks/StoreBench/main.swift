import EntityStore
import Foundation

// store-bench [--db PATH] [--count N] [--insert-only]   benchmarks (build with -c release)
// store-bench write-loop PATH [COUNT]    hidden: the durability test's child process

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
    } else {
        let count = option("--count").flatMap(Int.init) ?? 100_000
        let location: StoreConfiguration.Location = option("--db").map { .file($0) } ?? .memory
        try Bench(count: count, location: location, insertOnly: arguments.contains("--insert-only")).run()
    }
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
