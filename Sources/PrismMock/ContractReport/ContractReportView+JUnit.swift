/// `GET /_pcmock/contract-report?format=junit`: JUnit XML as CI systems read it (Jenkins,
/// GitLab, GitHub test reporters): one `testsuite` per namespace the client called, one
/// `testcase` per exercised operation, and a `failure` on each operation that broke a rule.
extension ContractReportView {
    var junit: String {
        let touched = namespaces.filter { !$0.exercised.isEmpty }
        let failing = touched.reduce(0) { $0 + $1.exercised.filter { !$0.violations.isEmpty }.count }
        // JUnit's timestamp is ISO 8601 without a zone.
        let timestamp = XML.escape(String(Timestamp.rfc3339(state.since).prefix(19)))
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="pcmock contract" tests="\#(exercisedCount)" failures="\#(failing)" "#
        out += #"errors="0" time="0">"# + "\n"
        for ns in touched {
            let failures = ns.exercised.filter { !$0.violations.isEmpty }.count
            out += #"  <testsuite name="\#(XML.escape(ns.namespace))" tests="\#(ns.exercised.count)" "#
            out += #"failures="\#(failures)" errors="0" skipped="0" time="0" timestamp="\#(timestamp)">"# + "\n"
            for e in ns.exercised { out += testcase(ns.namespace, e) }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    private func testcase(_ namespace: String, _ e: ExercisedOperation) -> String {
        let op = e.operation
        var out = #"    <testcase classname="\#(XML.escape(namespace + "." + op.apiClass))" "#
        out += #"name="\#(XML.escape(op.operationId))" time="0">"# + "\n"
        if let first = e.violations.first {
            let rules = e.violations.map(\.rule.rawValue).joined(separator: ", ")
            let count = e.violations.reduce(0) { $0 + $1.group.count }
            out += #"      <failure type="\#(XML.escape(first.rule.rawValue))" "#
            out += #"message="\#(XML.escape("\(count) contract violation(s): \(rules)"))">"#
            for v in e.violations {
                let ids = v.group.requestIds.joined(separator: ", ")
                out += XML.escape(
                    "\(v.rule.rawValue) ×\(v.group.count) (request ids \(ids))\n"
                        + "  \(v.group.exampleRequest)\n  \(v.group.exampleMessage)\n")
            }
            out += "</failure>\n"
        }
        let statuses = e.use.statuses.sorted { $0.status < $1.status }.map { "\($0.status)×\($0.count)" }
        let summary = "\(op.method) \(op.path): \(e.use.count) call(s), " + statuses.joined(separator: " ")
        out += "      <system-out>" + XML.escape(summary) + "</system-out>\n"
        out += "    </testcase>\n"
        return out
    }
}

enum XML {
    /// Text and attribute values (XML 1.0 §2.4, §3.3.3); control characters XML 1.0 cannot carry
    /// at all become U+FFFD.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
