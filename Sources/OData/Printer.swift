/// Prints a syntax tree back as canonical OData: lowercase operators and function names, single
/// spaces, parentheses only where precedence needs them. `parse(print(x)) == x` for every parsed `x`.
public enum Printer {
    public static func print(_ node: Node) -> String {
        var output = ""
        write(node, into: &output)
        return output
    }

    private static func precedence(_ expression: Expression) -> Int {
        switch expression {
        case .logical(.or, _): 1
        case .logical(.and, _): 2
        case .binary(let op, _, _): op.precedence
        case .not, .negate: 7
        case .inList, .has: 8
        default: 9
        }
    }

    private static func write(_ node: Node, into output: inout String, parenthesized: Bool) {
        if parenthesized {
            output += "("
            write(node, into: &output)
            output += ")"
        } else {
            write(node, into: &output)
        }
    }

    static func write(_ node: Node, into output: inout String) {
        switch node.expression {
        case .literal(let literal):
            write(literal, into: &output)
        case .member(let path):
            output += path.joined(separator: "/")
        case .lambda(let path, let kind, let variable, let predicate):
            output += path.joined(separator: "/")
            output += "/\(kind.rawValue)("
            if let variable, let predicate {
                output += variable + ":"
                write(predicate, into: &output)
            }
            output += ")"
        case .call(let function, let arguments):
            output += function.rawValue + "("
            for (index, argument) in arguments.enumerated() {
                if index > 0 { output += "," }
                write(argument, into: &output)
            }
            output += ")"
        case .not(let operand):
            output += "not "
            write(operand, into: &output, parenthesized: precedence(operand.expression) < 7)
        case .negate(let operand):
            // Always parenthesized unless a path or call: `-(5)` must not reparse as the literal -5.
            output += "-"
            switch operand.expression {
            case .member, .call: write(operand, into: &output)
            default: write(operand, into: &output, parenthesized: true)
            }
        case .binary(let op, let left, let right):
            write(left, into: &output, parenthesized: precedence(left.expression) < op.precedence)
            output += " \(op.rawValue) "
            write(right, into: &output, parenthesized: precedence(right.expression) <= op.precedence)
        case .logical(let op, let operands):
            let own = op == .or ? 1 : 2
            for (index, operand) in operands.enumerated() {
                if index > 0 { output += " \(op.rawValue) " }
                write(operand, into: &output, parenthesized: precedence(operand.expression) <= own)
            }
        case .inList(let left, let items):
            write(left, into: &output, parenthesized: precedence(left.expression) < 8)
            output += " in ("
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, into: &output, parenthesized: precedence(item.expression) < 3)
            }
            output += ")"
        case .has(let left, let right):
            write(left, into: &output, parenthesized: precedence(left.expression) < 8)
            output += " has "
            write(right, into: &output, parenthesized: precedence(right.expression) < 9)
        case .isOf(let operand, let type), .cast(let operand, let type):
            if case .isOf = node.expression { output += "isof(" } else { output += "cast(" }
            if let operand {
                write(operand, into: &output)
                output += ","
            }
            output += type + ")"
        }
    }

    static func write(_ literal: Literal, into output: inout String) {
        switch literal {
        case .null: output += "null"
        case .boolean(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .double(let value): output += format(value)
        case .string(let value): quote(value, into: &output)
        case .guid(let text), .date(let text), .dateTimeOffset(let text), .timeOfDay(let text): output += text
        case .typed(let qualifier, let value):
            output += qualifier
            quote(value, into: &output)
        }
    }

    /// Shortest text that reads back as the same double, always with a `.` or exponent so that it
    /// stays a decimal literal (ABNF `doubleLiteral`, L962).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-INF" : "INF" }
        let text = value.description
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    private static func quote(_ value: String, into output: inout String) {
        output += "'"
        for character in value.unicodeScalars {
            output.unicodeScalars.append(character)
            if character == "'" { output += "'" }
        }
        output += "'"
    }
}
