import CSQLite
import Foundation
import OData

// odata-bench: run with `swift run -c release odata-bench [documents]`; numbers go to BENCHMARKS.md.

func measure(_ repetitions: Int, _ body: () -> Void) -> [Double] {
    var samples: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return samples.sorted()
}

func median(_ samples: [Double]) -> Double { samples[samples.count / 2] }

/// Runs `sql` `repetitions` times in the sqlite3 CLI with `.timer on`; returns the real times in ms.
func cliTimes(database: String, sql: String, repetitions: Int) -> [Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let script = ".timer on\n" + String(repeating: sql + ";\n", count: repetitions)
    process.arguments = ["sqlite3", database]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do { try process.run() } catch { return [] }
    input.fileHandleForWriting.write(Data(script.utf8))
    try? input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    return text.split(separator: "\n").compactMap { line -> Double? in
        guard line.hasPrefix("Run Time: real ") else { return nil }
        return Double(line.dropFirst("Run Time: real ".count).split(separator: " ")[0]).map { $0 * 1000 }
    }.sorted()
}

let count = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 100_000
let compileOnly = CommandLine.arguments.contains("--compile-only")
let format = { (value: Double) in String(format: "%.3f", value) }

// 1. Parse + bind + compile of a typical three-clause filter.
let typical = "name eq 'vm-42' and powerState eq Vmm.Ahv.Config.PowerState'ON' and memorySizeBytes gt 4294967296"
let iterations = 100_000
var sink = 0
let compileStart = DispatchTime.now().uptimeNanoseconds
for _ in 0..<iterations {
    do {
        let query = try ODataQuery.parse(filter: typical, catalog: VMDocuments.catalog)
        sink &+= try query.sqlWhere()?.sql.utf8.count ?? 0
    } catch {
        fatalError("\(error)")
    }
}
let perCompile = Double(DispatchTime.now().uptimeNanoseconds - compileStart) / Double(iterations) / 1000
print("parse+bind+compile (3 clauses): \(format(perCompile)) µs per filter (\(iterations) runs, sink \(sink % 10))")

// The same, phase by phase, to see where the time goes.
func perCall(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<runs { try body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(runs) / 1000
}
let parsed = try ODataQuery.parse(filter: typical, catalog: VMDocuments.catalog)
print("  phases: empty query \(format(try perCall(100_000) { _ = try ODataQuery.parse(catalog: VMDocuments.catalog) })) µs,"
    + " parse+bind \(format(try perCall(100_000) { _ = try ODataQuery.parse(filter: typical, catalog: VMDocuments.catalog) })) µs,"
    + " compile \(format(try perCall(100_000) { _ = try parsed.sqlWhere() })) µs")

// 2. SQLite over VM documents.
if compileOnly { exit(0) }
let path = NSTemporaryDirectory() + "odata-bench-\(getpid()).sqlite"
defer { try? FileManager.default.removeItem(atPath: path) }
let database = BenchDatabase(path: path)
database.execute("PRAGMA journal_mode=WAL; CREATE TABLE entities(kind TEXT, extId TEXT, document TEXT)")
let loadStart = Date()
database.insert((0..<count).map(VMDocuments.document))
database.execute("CREATE INDEX entities_name ON entities(json_extract(document, '$.name'))")
database.execute("ANALYZE")
print("loaded \(count) documents in \(format(Date().timeIntervalSince(loadStart))) s")

let target = VMDocuments.subnets[7]
let cases: [(String, String, String)] = [
    ("equality on name (expression index)", "name eq 'vm-\(count / 2)'",
     "SELECT count(*) FROM entities WHERE json_extract(document,'$.name') = 'vm-\(count / 2)'"),
    ("contains scan", "contains(name,'999')",
     "SELECT count(*) FROM entities WHERE instr(json_extract(document,'$.name'),'999') > 0"),
    ("any lambda over NICs", "nics/any(n:n/networkInfo/subnet/extId eq '\(target)')",
     "SELECT count(*) FROM entities WHERE EXISTS (SELECT 1 FROM json_each(document,'$.nics') j "
        + "WHERE json_extract(j.value,'$.networkInfo.subnet.extId') = '\(target)')"),
]
print("| query | pcmock median ms (min) | sqlite3 CLI hand-written median ms (min) | ratio | rows |")
print("|---|---|---|---|---|")
for (label, filter, handWritten) in cases {
    var rows: Int64 = 0
    var sql = ""
    let samples = measure(21) {
        do {
            let query = try ODataQuery.parse(filter: filter, catalog: VMDocuments.catalog)
            guard let fragment = try query.sqlWhere() else { return }
            sql = "SELECT count(*) FROM entities WHERE kind = 'vmm:ahv:config:vm' AND " + fragment.sql
            rows = database.scalar(sql, fragment.arguments)
        } catch {
            fatalError("\(error)")
        }
    }
    let cli = cliTimes(database: path, sql: handWritten, repetitions: 21)
    let ratio = cli.isEmpty ? "n/a" : String(format: "%.2f", median(samples) / median(cli))
    let cliText = cli.isEmpty ? "n/a" : "\(format(median(cli))) (\(format(cli[0])))"
    print("| \(label) | \(format(median(samples))) (\(format(samples[0]))) | \(cliText) | \(ratio) | \(rows) |")
    let query = try ODataQuery.parse(filter: filter, catalog: VMDocuments.catalog)
    if let fragment = try query.sqlWhere() {
        print("  plan: \(database.plan("SELECT count(*) FROM entities WHERE " + fragment.sql, fragment.arguments))")
    }
}
