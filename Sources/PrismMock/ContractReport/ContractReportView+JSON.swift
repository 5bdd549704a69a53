import OData

/// `GET /_pcmock/contract-report` (the default `format=json`).
extension ContractReportView {
    var json: JSON {
        var summary = JSONObject()
        summary["requests"] = .int(Int64(state.requests))
        summary["operationsExercised"] = .int(Int64(exercisedCount))
        summary["operationsTotal"] = .int(Int64(operationsTotal))
        summary["violations"] = .int(Int64(state.violationCount))
        summary["violationsNotKept"] = .int(Int64(state.droppedViolations))
        summary["unusedEntities"] = .int(Int64(unusedCount))
        var root = JSONObject()
        root["mode"] = .string(mode)
        root["since"] = .string(Timestamp.rfc3339(state.since))
        root["summary"] = .object(summary)
        root["namespaces"] = .array(namespaces.map(namespaceJSON))
        root["violations"] = .array(violations.map(violationJSON))
        root["unusedEntities"] = .array(unused.map(unusedJSON))
        return .object(root)
    }

    private func namespaceJSON(_ ns: NamespaceUse) -> JSON {
        let ops: [JSON] = ns.exercised.map { e in
            var statuses = JSONObject()
            for s in e.use.statuses.sorted(by: { $0.status < $1.status }) {
                statuses[String(s.status)] = .int(Int64(s.count))
            }
            return .object(
                JSONObject([
                    ("operationId", .string(e.operation.operationId)), ("method", .string(e.operation.method)),
                    ("path", .string(e.operation.path)), ("count", .int(Int64(e.use.count))),
                    ("statuses", .object(statuses)),
                    ("violations", .array(e.violations.map { .string($0.rule.rawValue) })),
                ]))
        }
        return .object(
            JSONObject([
                ("namespace", .string(ns.namespace)), ("exercised", .int(Int64(ns.exercised.count))),
                ("total", .int(Int64(ns.total))), ("operations", .array(ops)),
            ]))
    }

    private func violationJSON(_ v: Violation) -> JSON {
        var arguments = JSONObject()
        for (k, value) in v.group.arguments { arguments[k] = .string(value) }
        return .object(
            JSONObject([
                ("rule", .string(v.rule.rawValue)), ("status", .int(Int64(v.rule.status))),
                ("namespace", .string(v.namespace)), ("operationId", .string(v.operationId)),
                ("count", .int(Int64(v.group.count))), ("requestIds", .array(v.group.requestIds.map { .string($0) })),
                (
                    "example",
                    .object(
                        JSONObject([
                            ("request", .string(v.group.exampleRequest)), ("message", .string(v.group.exampleMessage)),
                            ("argumentsMap", .object(arguments)),
                        ]))
                ),
            ]))
    }

    private func unusedJSON(_ u: UnusedKind) -> JSON {
        let listed: [JSON] = u.unused.prefix(ContractReportView.maxUnusedListed).map { e in
            var o = JSONObject([("extId", .string(e.extId))])
            if let name = e.name { o["name"] = .string(name) }
            if let parent = e.parentExtId { o["parentExtId"] = .string(parent) }
            return .object(o)
        }
        return .object(
            JSONObject([
                ("namespace", .string(u.namespace)), ("kind", .string(u.kind)),
                ("rel", .string(RelName.forCollection(u.kind))),
                ("unused", .int(Int64(u.unused.count))), ("total", .int(Int64(u.total))), ("entities", .array(listed)),
            ]))
    }
}
