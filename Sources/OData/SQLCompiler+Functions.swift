/// Canonical functions in SQLite (odata.md §7): `instr`/`substr` instead of `LIKE` (which is
/// case-insensitive and treats `_`/`%` as wildcards); NULL in, NULL out, as OData requires.
extension SQLCompiler {
    func call(_ function: Function, _ arguments: [BoundExpression], _ type: ValueType) throws(ODataError)
        -> SQLFragment
    {
        var values: [SQLFragment] = []
        for argument in arguments { values.append(try compile(argument)) }
        func build(_ parts: [Any]) -> SQLFragment {
            var fragment = SQLFragment()
            for part in parts {
                if let text = part as? String { fragment.append(text) }
                if let index = part as? Int { fragment.append(values[index]) }
            }
            return fragment
        }
        switch function {
        case .contains: return build(["(instr(", 0, ", ", 1, ") > 0)"])
        case .startswith: return build(["(substr(", 0, ", 1, length(", 1, ")) = ", 1, ")"])
        case .endswith:
            return build([
                "CASE WHEN ", 0, " IS NULL OR ", 1, " IS NULL THEN NULL WHEN length(", 1,
                ") = 0 THEN 1 ELSE substr(", 0, ", -length(", 1, ")) = ", 1, " END",
            ])
        case .indexof: return build(["(instr(", 0, ", ", 1, ") - 1)"])
        case .concat: return build(["(", 0, " || ", 1, ")"])
        case .length: return build(["length(", 0, ")"])
        case .tolower: return build(["lower(", 0, ")"])
        case .toupper: return build(["upper(", 0, ")"])
        case .trim: return build(["trim(", 0, ")"])
        case .substring:
            if values.count == 2 { return build(["substr(", 0, ", max(", 1, ", 0) + 1)"]) }
            return build(["CASE WHEN ", 2, " < 0 THEN NULL ELSE substr(", 0, ", max(", 1, ", 0) + 1, ", 2, ") END"])
        case .year, .month, .day, .hour, .minute, .second:
            let (start, count) =
                [
                    Function.year: (1, 4), .month: (6, 2), .day: (9, 2), .hour: (12, 2),
                    .minute: (15, 2), .second: (18, 2),
                ][function] ?? (1, 4)
            return build([
                "CASE WHEN julianday(", 0, ") IS NOT NULL THEN CAST(substr(", 0,
                ", \(start), \(count))"
                    + " AS INTEGER) END",
            ])
        case .date:
            return build(["CASE WHEN julianday(", 0, ") IS NOT NULL THEN substr(", 0, ", 1, 10) END"])
        case .round, .floor, .ceiling:
            let name = [Function.round: "round", .floor: "floor", .ceiling: "ceil"][function] ?? "round"
            return build(["\(name)(", 0, ")"])
        case .matchesPattern, .fractionalseconds, .totaloffsetminutes, .time, .now, .mindatetime, .maxdatetime:
            throw ODataError(
                .unsupportedInSQL, option: "$filter", offset: 0, token: function.rawValue,
                message: "\(function.rawValue) cannot be evaluated in SQL")
        }
    }
}
