import CSQLite
import EntityStore
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

/// User + system CPU seconds of this process (wall time on a shared machine mostly measures the others).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

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
print(
    "parse+bind+compile (3 clauses): median \(format(median(batches))) µs, best \(format(batches[0])) µs per filter "
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
print(
    "  phases: empty query \(format(emptyQuery)) µs, parse+bind \(format(parseBind)) µs, "
        + "compile \(format(compileAlone)) µs")

// 2. SQLite over VM documents, through the EntityStore pcmock runs: the same `entities` rows queried over their
// JSON text (the compiler told nothing), and with the store's `entity_values` side table for the paths it
// declares (what pcmock declares for VMs), which the compiler is told about.
if compileOnly { exit(0) }
let namespace = "vmm"
let kind = "vmm:ahv/config/vms"
let declared: [ValuePath] = [
    .scalar("name", indexed: true), .scalar("powerState"), .scalar("cluster/extId"),
    .element(of: "nics", "networkInfo/subnet/extId"),
    .element(of: "nics", "extId"),
]
let rows = (0..<count).map(VMDocuments.document)
// What keeping the side table costs a bulk load: the same load without declared paths.
do {
    let plain = try EntityStore(StoreConfiguration(readerCount: 1))
    let cpu = cpuSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    try plain.write { transaction in
        try transaction.insert(
            contentsOf: rows.map { NewEntity(namespace: namespace, kind: kind, extId: $0.0, document: $0.1) })
    }
    print(
        "loaded \(count) documents without declared paths in "
            + "\(format(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) s, CPU \(format(cpuSeconds() - cpu)) s"
    )
    plain.close()
}
let store = try EntityStore(StoreConfiguration(readerCount: 1, valuePaths: [kind: declared]))
defer { store.close() }
let loadCPU = cpuSeconds()
let loadStart = DispatchTime.now().uptimeNanoseconds
try store.write { transaction in
    try transaction.insert(
        contentsOf: rows.map { NewEntity(namespace: namespace, kind: kind, extId: $0.0, document: $0.1) })
}
print(
    "loaded \(count) documents with \(declared.count) declared paths in "
        + "\(format(Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9)) s, CPU \(format(cpuSeconds() - loadCPU)) s "
        + "(average document \(rows.map(\.1.utf8.count).reduce(0, +) / max(count, 1)) bytes)")
if CommandLine.arguments.contains("--load-only") { exit(0) }
try store.write { _ in }  // lets the checkpoint after the load run before anything is timed
var side = SideTable(rowid: "entities.rowid", hotColumns: store.hotColumns(kind: kind))
for (path, id) in store.valuePathIDs(kind: kind) {
    if let array = path.array { side.elements[array, default: [:]][path.member] = id }
}
let nameColumn = side.hotColumns["name"] ?? "h0"
let subnetID = side.elements["nics"]?["networkInfo/subnet/extId"] ?? 0

func sqlValues(_ fragment: SQLFragment) -> [SQLValue] {
    fragment.arguments.map { argument in
        switch argument {
        case .null: .null
        case .integer(let value): .integer(value)
        case .double(let value): .real(value)
        case .text(let value): .text(value)
        }
    }
}

let target = VMDocuments.subnets[7]
let scope = "namespace = '\(namespace)' AND kind = '\(kind)'"
struct Case {
    var label: String
    var filter: String
    var side: SideTable?
    var handWritten: String
    var repetitions: Int
}
let cases: [Case] = [
    Case(
        label: "equality on name, side table", filter: "name eq 'vm-\(count / 2)'", side: side,
        handWritten: "SELECT count(*) FROM entities WHERE \(scope) AND rowid IN (SELECT entity FROM entity_hot "
            + "WHERE \(nameColumn) = 'vm-\(count / 2)')", repetitions: 2000),
    Case(
        label: "contains scan, JSON text", filter: "contains(name,'999')", side: nil,
        handWritten:
            "SELECT count(*) FROM entities WHERE \(scope) AND instr(json_extract(document,'$.name'),'999') > 0",
        repetitions: 10),
    Case(
        label: "contains scan, side table", filter: "contains(name,'999')", side: side,
        handWritten: "SELECT count(*) FROM entities WHERE \(scope) AND rowid IN (SELECT entity FROM entity_hot "
            + "WHERE instr(\(nameColumn),'999') > 0)", repetitions: 40),
    Case(
        label: "any lambda over NICs, JSON text", filter: "nics/any(n:n/networkInfo/subnet/extId eq '\(target)')",
        side: nil,
        handWritten:
            "SELECT count(*) FROM entities WHERE \(scope) AND EXISTS (SELECT 1 FROM json_each(document,'$.nics') j "
            + "WHERE json_extract(j.value,'$.networkInfo.subnet.extId') = '\(target)')", repetitions: 5),
    Case(
        label: "any lambda over NICs, side table", filter: "nics/any(n:n/networkInfo/subnet/extId eq '\(target)')",
        side: side,
        handWritten: "SELECT count(*) FROM entities WHERE \(scope) AND rowid IN (SELECT entity FROM entity_values "
            + "WHERE path = \(subnetID) AND value = '\(target)' COLLATE NOCASE)", repetitions: 20),
]

/// Parse + bind + compile + the count the list needs (`limit: 0` runs only the count), then the full first page
/// of 50 with its total, as a list request runs it.
func run(_ item: Case, limit: Int) -> (Int, String) {
    do {
        let query = try ODataQuery.parse(filter: item.filter, catalog: VMDocuments.catalog)
        guard let fragment = try query.sqlWhere(side: item.side) else { return (0, "") }
        let page = try store.list(
            namespace: namespace, kind: kind, whereSQL: fragment.sql, arguments: sqlValues(fragment), limit: limit)
        return (page.totalCount, fragment.sql)
    } catch {
        fatalError("\(error)")
    }
}

let planner = BenchDatabase(path: store.path)
print(
    "| query | pcmock count: parse+bind+compile+count, median ms (min) | sqlite3 CLI, same count by hand, ms | ratio "
        + "| page of 50 + total, median ms | rows |")
print("|---|---|---|---|---|---|")
for item in cases {
    var found = 0
    var sql = ""
    let samples = measure(item.repetitions < 10 ? 7 : 21) { (found, sql) = run(item, limit: 0) }
    let pages = measure(item.repetitions < 10 ? 7 : 21) { _ = run(item, limit: 50) }
    let cli = cliMilliseconds(database: store.path, sql: item.handWritten, repetitions: item.repetitions)
    let ratio = cli.map { String(format: "%.2f", median(samples) / max($0, 0.001)) } ?? "n/a"
    print(
        "| \(item.label) | \(format(median(samples))) (\(format(samples[0]))) | \(cli.map(format) ?? "n/a") | \(ratio) "
            + "| \(format(median(pages))) | \(found) |")
    let planSQL = "SELECT count(*) FROM entities WHERE \(scope) AND " + sql
    print("|   plan: \(planner.plan(planSQL, [])) | | | | | |")
}
