import Foundation

/// Generates random, mostly valid `$filter` strings over `Fixtures.catalog`, with literals drawn
/// from the same pools as the documents so that filters select something.
struct FilterGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    mutating func stringLiteral() -> String {
        FilterGenerator.quote(
            random.chance(80) ? random.pick(Fixtures.names) : random.pick(["a", "A", "_", "%", "1", "é", "web", "x'"]))
    }

    mutating func textExpression() -> String {
        switch random.int(0, 9) {
        case 0: return "tolower(name)"
        case 1: return "toupper(cluster/name)"
        case 2: return "trim(name)"
        case 3: return "concat(name,'-x')"
        case 4: return "substring(name,\(random.int(-1, 4)))"
        case 5: return "substring(description,\(random.int(0, 3)),\(random.int(0, 4)))"
        case 6: return "cluster/name"
        case 7: return "description"
        default: return "name"
        }
    }

    mutating func numberLiteral() -> String {
        random.pick([
            "0", "1", "2", "-1", "3", "8", "1073741824", "4294967296", "0.5", "-1.25", "2.5", "1e-3", "3.0",
            "-0.5", "9223372036854775807", "-9223372036854775808",
        ])
    }

    mutating func numericExpression(_ depth: Int) -> String {
        if depth <= 0 || random.chance(40) {
            return random.pick([
                "numSockets", "memorySizeBytes", "cpuRatio", "length(name)", "indexof(name,'e')",
                "year(createTime)", "month(createTime)", "day(createTime)", "hour(createTime)",
                "minute(createTime)", "second(createTime)", "round(cpuRatio)", "floor(cpuRatio)",
                "ceiling(cpuRatio)", numberLiteral(),
            ])
        }
        let op = random.pick(["add", "sub", "mul", "div", "divby", "mod"])
        if random.chance(10) { return "-(\(numericExpression(depth - 1)))" }
        return "(\(numericExpression(depth - 1)) \(op) \(numericExpression(depth - 1)))"
    }

    mutating func comparison() -> String {
        let op = random.pick(["eq", "ne", "gt", "ge", "lt", "le"])
        switch random.int(0, 13) {
        case 0: return "\(textExpression()) \(op) \(random.chance(10) ? "null" : stringLiteral())"
        case 1: return "\(numericExpression(2)) \(op) \(random.chance(85) ? numberLiteral() : numericExpression(1))"
        case 2:
            let member = random.pick(Fixtures.powerState.members + ["PAUSED"])
            let literal = random.pick([
                "Vmm.Ahv.Config.PowerState'\(member)'", "'\(member)'", "Schema.Enums.X'\(member)'",
            ])
            return "powerState \(op) \(random.chance(10) ? "null" : literal)"
        case 3:
            let id = random.pick(Fixtures.clusterIDs)
            let literal = random.pick([id, id.uppercased(), "'\(id)'", "'\(id.uppercased())'", "'not-a-uuid'", "null"])
            return "\(random.pick(["cluster/extId", "extId"])) \(op) \(literal)"
        case 4:
            let time = random.pick(Fixtures.times.dropLast(2) + ["2024-01-01T00:00:00.000+00:00"])
            return "createTime \(op) \(random.chance(50) ? time : "'\(time)'")"
        case 5: return "date(createTime) \(op) \(random.pick(["2024-01-01", "2024-03-01", "2023-12-31"]))"
        case 6: return "isActive \(op) \(random.pick(["true", "false", "null"]))"
        case 7: return "name \(op) cluster/name"
        case 8: return "numSockets \(op) cpuRatio"
        case 9: return "createTime \(op) createTime"
        case 10: return "powerState \(op) powerState"
        case 11: return "cluster/extId \(op) extId"
        case 12: return "\(textExpression()) \(op) \(textExpression())"
        default: return "null \(op) \(random.pick(["null", "numSockets", "name"]))"
        }
    }

    mutating func predicate(_ depth: Int, variables: [String] = []) -> String {
        if depth <= 0 || random.chance(30) { return leaf(variables) }
        switch random.int(0, 9) {
        case 0, 1, 2:
            return "\(predicate(depth - 1, variables: variables)) and \(predicate(depth - 1, variables: variables))"
        case 3, 4:
            return "(\(predicate(depth - 1, variables: variables)) or \(predicate(depth - 1, variables: variables)))"
        case 5: return "not (\(predicate(depth - 1, variables: variables)))"
        case 6: return "not (\(leaf(variables)))"
        default: return lambda(depth - 1, variables: variables)
        }
    }

    mutating func lambda(_ depth: Int, variables: [String]) -> String {
        let kind = random.pick(["any", "all"])
        let variable = "v\(variables.count)"
        switch random.int(0, 3) {
        case 0:
            return
                "tags/\(kind)(\(variable):\(variable) \(random.pick(["eq", "ne", "gt"])) "
                + "'\(random.pick(Fixtures.tags))')"
        case 1:
            let inner = random.pick([
                "\(variable)/diskAddress/busType eq '\(random.pick(Fixtures.busType.members))'",
                "\(variable)/sizeBytes gt \(random.pick(["1073741824", "2147483648", "0"]))",
                "\(variable)/index eq numSockets", "\(variable)/diskAddress/busType gt Ns.Bus'IDE'",
                "\(variable)/sizeBytes mod 3 eq \(random.int(0, 2))",
            ])
            return "disks/\(kind)(\(variable):\(inner)\(random.chance(30) ? " and " + leaf(variables) : ""))"
        case 2:
            let outer = random.chance(30) ? " and \(variable)/isConnected" : ""
            let nested =
                "\(variable)/ipAddresses/\(random.pick(["any", "all"]))"
                + "(ip:startswith(ip,'\(random.pick(["10.", "192", "fe"]))')\(outer))"
            return
                "nics/\(kind)(\(variable):"
                + "\(random.pick(["\(variable)/isConnected", "not \(variable)/isConnected", nested])))"
        default:
            return "disks/any()"
        }
    }

    mutating func leaf(_ variables: [String]) -> String {
        switch random.int(0, 9) {
        case 0: return "\(random.pick(["contains", "startswith", "endswith"]))(\(textExpression()),\(stringLiteral()))"
        case 1: return "name \(random.pick(["startswith", "contains"])) \(stringLiteral())"
        case 2:
            let items = (0..<random.int(0, 3)).map { _ in random.chance(15) ? "null" : stringLiteral() }
            return "name in (\(items.joined(separator: ",")))"
        case 3: return "powerState has '\(random.pick(Fixtures.powerState.members))'"
        case 4: return random.pick(["isActive", "not isActive", "true", "false", "null eq null"])
        case 5: return "numSockets in (\(random.int(0, 3)),\(random.int(4, 8)),null)"
        case 6:
            // Paths through collections read as an implicit any (odata.md §4).
            return random.pick([
                "disks/sizeBytes gt 2147483648", "tags eq '\(random.pick(Fixtures.tags))'", "tags ne 'prod'",
                "disks/diskAddress/busType in ('SCSI','IDE')", "nics/ipAddresses eq '10.0.0.1'",
                "'db' eq tags", "nics/isConnected eq false",
            ])
        default: return comparison()
        }
    }
}
