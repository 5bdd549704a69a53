import OData

/// The contract report as aligned text for a terminal: the summary, coverage per namespace,
/// the exercised operations with their answers, the violations with one example each, and the
/// unused entities per kind.
struct ReportTable {
    let report: JSON

    init(_ report: JSON) {
        self.report = report
    }

    var text: String {
        var out = ""
        let summary = report["summary"]
        out += "pcmock contract report (\(string(report["mode"])) mode, since \(string(report["since"])))\n"
        out +=
            "requests \(int(summary?["requests"])) · operations exercised \(int(summary?["operationsExercised"])) of "
            + "\(int(summary?["operationsTotal"])) · violations \(int(summary?["violations"])) · unused entities "
            + "\(int(summary?["unusedEntities"]))\n"
        let namespaces = report["namespaces"]?.arrayValue ?? []
        let touched = namespaces.filter { int($0["exercised"]) > 0 }
        if touched.isEmpty {
            out += "\nNo operation was called.\n"
        } else {
            out +=
                "\n"
                + ReportTable.columns(
                    ["NAMESPACE", "EXERCISED"],
                    touched.map { [string($0["namespace"]), "\(int($0["exercised"]))/\(int($0["total"]))"] })
            var rows: [[String]] = []
            for ns in touched {
                for op in ns["operations"]?.arrayValue ?? [] {
                    let statuses = (op["statuses"]?.objectValue ?? JSONObject()).map { "\($0.key)×\(int($0.value))" }
                    rows.append([
                        string(ns["namespace"]), string(op["operationId"]), string(op["method"]), "\(int(op["count"]))",
                        statuses.joined(separator: " "),
                    ])
                }
            }
            out += "\n" + ReportTable.columns(["NAMESPACE", "OPERATION", "METHOD", "CALLS", "STATUSES"], rows)
        }
        let violations = report["violations"]?.arrayValue ?? []
        if violations.isEmpty {
            out += "\nNo contract violations.\n"
        } else {
            out += "\nVIOLATIONS\n"
            for v in violations {
                let rule = "\(string(v["rule"])) ×\(int(v["count"]))"
                out += "\(rule) in \(string(v["namespace"])) \(string(v["operationId"]))\n"
                out += "    \(string(v["example"]?["request"]))\n"
                out += "    \(string(v["example"]?["message"]))\n"
                let ids = (v["requestIds"]?.arrayValue ?? []).map { string($0) }
                out += "    request ids: \(ids.joined(separator: ", "))\n"
            }
        }
        let unused = report["unusedEntities"]?.arrayValue ?? []
        if !unused.isEmpty {
            out += "\nUNUSED ENTITIES (never named by a successful request)\n"
            out += ReportTable.columns(
                ["KIND", "UNUSED", "EXAMPLES"],
                unused.map { u in
                    let names = (u["entities"]?.arrayValue ?? []).prefix(3).map { e in
                        e["name"]?.stringValue ?? string(e["extId"])
                    }
                    return [string(u["rel"]), "\(int(u["unused"]))/\(int(u["total"]))", names.joined(separator: ", ")]
                })
        }
        return out
    }

    private func string(_ value: JSON?) -> String { value?.stringValue ?? "-" }

    private func int(_ value: JSON?) -> Int { Int(value?.numberValue ?? 0) }

    /// Left-aligned columns two spaces apart; the last column is not padded.
    static func columns(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for row in all {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            out += line + "\n"
        }
        return out
    }
}
