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

/// Milliseconds per execution of `sql` in the sqlite3 CLI: the wall time of a run with
/// `repetitions + 1` statements minus a run with one, divided by `repetitions`, so process start-up
/// and the first (cold) execution cancel out; the best of three such pairs.
func cliMilliseconds(database: String, sql: String, repetitions: Int) -> Double? {
    func run(_ statements: Int) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        do { try process.run() } catch { return nil }
        input.fileHandleForWriting.write(Data(String(repeating: sql + ";\n", count: statements).utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
    var best: Double?
    for _ in 0..<3 {
        guard let one = run(1), let many = run(repetitions + 1) else { return nil }
        let each = max(0, many - one) / Double(repetitions)
        best = min(best ?? each, each)
    }
    return best
}

let count = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 100_000
let compileOnly = CommandLine.arguments.contains("--compile-only")
let format = { (value: Double) in String(format: "%.3f", value) }

// 1. Parse + bind + compile of a typical three-clause filter.
let typical = "name eq 'vm-42' and powerState eq Vmm.Ahv.Config.PowerState'ON' and memorySizeBytes gt 4294967296"
// Timed in 20 batches of 5,000; the median batch is the figure, the best shows the quiet-machine cost
// (the benchmark machine is shared, so single long runs mostly measure other people's builds).
var sink = 0
var batches: [Double] = []
for _ in 0..<20 {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<5_000 {
        do {
            let query = try ODataQuery.parse(filter: typical, catalog: VMDocuments.catalog)
            sink &+= try query.sqlWhere()?.sql.utf8.count ?? 0
        } catch {
            fatalError("\(error)")
        }
    }
    batches.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 5_000 / 1000)
}
batches.sort()
print("parse+bind+compile (3 clauses): median \(format(median(batches))) µs, best \(format(batches[0])) µs per filter "
    + "(20 × 5,000 runs, sink \(sink % 10))")

// The same, phase by phase, to see where the time goes.
func perCall(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<runs { try body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(runs) / 1000
}
let parsed = try ODataQuery.parse(filter: typical, catalog: VMDocuments.catalog)
let emptyQuery = try perCall(100_000) { _ = try ODataQuery.parse(catalog: VMDocuments.catalog) }
let parseBind = try perCall(100_000) { _ = try ODataQuery.parse(filter: typical, catalog: VMDocuments.catalog) }
let compileAlone = try perCall(100_000) { _ = try parsed.sqlWhere() }
print("  phases: empty query \(format(emptyQuery)) µs, parse+bind \(format(parseBind)) µs, "
    + "compile \(format(compileAlone)) µs")

// 2. SQLite over VM documents: `entities` as the spec describes it (JSON text only), and
// `entities_hot` where the store keeps hot fields in generated columns the compiler is told about.
if compileOnly { exit(0) }
let path = NSTemporaryDirectory() + "odata-bench-\(getpid()).sqlite"
defer { try? FileManager.default.removeItem(atPath: path) }
let database = BenchDatabase(path: path)
database.execute(
    """
    PRAGMA journal_mode=WAL;
    CREATE TABLE entities(kind TEXT, extId TEXT, document TEXT);
    CREATE TABLE entities_hot(kind TEXT, extId TEXT, document TEXT,
        h_name GENERATED ALWAYS AS (json_extract(document, '$.name')) STORED,
        h_nics GENERATED ALWAYS AS (json_extract(document, '$.nics')) STORED);
    """)
let loadStart = Date()
let rows = (0..<count).map(VMDocuments.document)
database.insert(rows, table: "entities")
database.insert(rows, table: "entities_hot")
database.execute("CREATE INDEX entities_name ON entities(json_extract(document, '$.name'))")
database.execute("CREATE INDEX entities_hot_name ON entities_hot(h_name)")
database.execute("ANALYZE")
print(
    "loaded \(count) documents twice in \(format(Date().timeIntervalSince(loadStart))) s "
        + "(average document \(rows.map(\.1.utf8.count).reduce(0, +) / max(count, 1)) bytes)")

let target = VMDocuments.subnets[7]
let hotColumns = ["name": "h_name", "nics": "h_nics"]
let cases: [(String, String, [String: String], String, String, Int)] = [
    (
        "equality on name (expression index)", "name eq 'vm-\(count / 2)'", [:], "entities",
        "SELECT count(*) FROM entities WHERE json_extract(document,'$.name') = 'vm-\(count / 2)'", 2000
    ),
    (
        "contains scan", "contains(name,'999')", [:], "entities",
        "SELECT count(*) FROM entities WHERE instr(json_extract(document,'$.name'),'999') > 0", 20
    ),
    (
        "any lambda over NICs", "nics/any(n:n/networkInfo/subnet/extId eq '\(target)')", [:], "entities",
        "SELECT count(*) FROM entities WHERE EXISTS (SELECT 1 FROM json_each(document,'$.nics') j "
            + "WHERE json_extract(j.value,'$.networkInfo.subnet.extId') = '\(target)')", 10
    ),
    (
        "hot column: equality on name", "name eq 'vm-\(count / 2)'", hotColumns, "entities_hot",
        "SELECT count(*) FROM entities_hot WHERE h_name = 'vm-\(count / 2)'", 2000
    ),
    (
        "hot column: contains scan", "contains(name,'999')", hotColumns, "entities_hot",
        "SELECT count(*) FROM entities_hot WHERE instr(h_name,'999') > 0", 20
    ),
    (
        "hot column: any lambda over NICs", "nics/any(n:n/networkInfo/subnet/extId eq '\(target)')", hotColumns,
        "entities_hot",
        "SELECT count(*) FROM entities_hot WHERE EXISTS (SELECT 1 FROM json_each(h_nics) j "
            + "WHERE json_extract(j.value,'$.networkInfo.subnet.extId') = '\(target)')", 10
    ),
]
print("| query | pcmock (parse+bind+compile+run) median ms (min) | sqlite3 CLI hand-written ms | ratio | rows |")
print("|---|---|---|---|---|")
for (label, filter, columns, table, handWritten, repetitions) in cases {
    var found: Int64 = 0
    var last = SQLFragment()
    let samples = measure(21) {
        do {
            let query = try ODataQuery.parse(filter: filter, catalog: VMDocuments.catalog)
            guard let fragment = try query.sqlWhere(columns: columns) else { return }
            last = fragment
            found = database.scalar(
                "SELECT count(*) FROM \(table) WHERE kind = 'vmm:ahv:config:vm' AND "
                    + fragment.sql, fragment.arguments)
        } catch {
            fatalError("\(error)")
        }
    }
    let cli = cliMilliseconds(database: path, sql: handWritten, repetitions: repetitions)
    let ratio = cli.map { String(format: "%.2f", median(samples) / max($0, 0.001)) } ?? "n/a"
    print(
        "| \(label) | \(format(median(samples))) (\(format(samples[0]))) | \(cli.map(format) ?? "n/a") | \(ratio) "
            + "| \(found) |")
    print("|   plan: \(database.plan("SELECT count(*) FROM \(table) WHERE " + last.sql, last.arguments)) | | | | |")
}
