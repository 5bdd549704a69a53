@testable import OData

/// A fully parenthesized prefix rendering of a syntax tree, written independently of `Printer`
/// so parser tests state the expected tree shape without trusting the code under test.
func shape(_ node: Node) -> String {
    switch node.expression {
    case .literal(let literal):
        switch literal {
        case .null: return "null"
        case .boolean(let value): return "\(value)"
        case .integer(let value): return "\(value)"
        case .double(let value): return "d:\(value)"
        case .string(let value): return "'\(value)'"
        case .guid(let value): return "guid:\(value)"
        case .date(let value): return "date:\(value)"
        case .dateTimeOffset(let value): return "dto:\(value)"
        case .timeOfDay(let value): return "tod:\(value)"
        case .typed(let qualifier, let value): return "\(qualifier):'\(value)'"
        }
    case .member(let path): return path.joined(separator: "/")
    case .lambda(let path, let kind, let variable, let predicate):
        let body = [variable, predicate.map(shape)].compactMap { $0 }.joined(separator: " ")
        return "(\(kind.rawValue) \(path.joined(separator: "/"))\(body.isEmpty ? "" : " " + body))"
    case .call(let function, let arguments):
        return "(\(function.rawValue)\(arguments.map { " " + shape($0) }.joined()))"
    case .not(let operand): return "(not \(shape(operand)))"
    case .negate(let operand): return "(neg \(shape(operand)))"
    case .binary(let op, let left, let right): return "(\(op.rawValue) \(shape(left)) \(shape(right)))"
    case .logical(let op, let operands): return "(\(op.rawValue)\(operands.map { " " + shape($0) }.joined()))"
    case .inList(let left, let items): return "(in \(shape(left))\(items.map { " " + shape($0) }.joined()))"
    case .has(let left, let right): return "(has \(shape(left)) \(shape(right)))"
    case .isOf(let operand, let type): return "(isof \(operand.map(shape) ?? "") \(type))"
    case .cast(let operand, let type): return "(cast \(operand.map(shape) ?? "") \(type))"
    }
}

func parseShape(_ text: String) throws -> String {
    shape(try Parser.parseFilter(text))
}
