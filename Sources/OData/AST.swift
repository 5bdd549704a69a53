/// The syntactic tree of a `$filter`/`$orderby` expression, before any field catalog is involved.
///
/// Nodes carry the byte offset where they start so the binder can report positioned errors;
/// equality ignores offsets, which is what the parse → print → parse round-trip compares.
public struct Node: Sendable, Equatable, CustomStringConvertible {
    public var expression: Expression
    public var offset: Int
    /// Height of the subtree (a leaf is 1); bounded by the parser so recursion over it is bounded.
    public var height: Int

    public init(_ expression: Expression, offset: Int, height: Int = 1) {
        self.expression = expression
        self.offset = offset
        self.height = height
    }

    public static func == (lhs: Node, rhs: Node) -> Bool { lhs.expression == rhs.expression }

    public var description: String { Printer.print(self) }
}

public indirect enum Expression: Sendable, Equatable {
    case literal(Literal)
    /// `a/b/c`; the first segment may be a lambda variable or `$it`.
    case member([String])
    /// `path/any(v:predicate)`, `path/all(v:predicate)`, `path/any()`.
    case lambda(path: [String], kind: LambdaKind, variable: String?, predicate: Node?)
    case call(Function, [Node])
    case not(Node)
    case negate(Node)
    case binary(BinaryOperator, Node, Node)
    /// `and`/`or` chains are flattened: `a and b and c` is one node with three operands.
    case logical(LogicalOperator, [Node])
    case inList(Node, [Node])
    case has(Node, Node)
    case isOf(Node?, String)
    case cast(Node?, String)
}

public enum LambdaKind: String, Sendable, Equatable { case any, all }

public enum LogicalOperator: String, Sendable, Equatable { case and, or }

public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
    case eq, ne, gt, ge, lt, le, add, sub, mul, div, divby, mod

    /// Precedence per OData 4.01 Part 2 §5.1.1.16 "Operator Precedence" (higher binds tighter).
    var precedence: Int {
        switch self {
        case .eq, .ne: 3
        case .gt, .ge, .lt, .le: 4
        case .add, .sub: 5
        case .mul, .div, .divby, .mod: 6
        }
    }

    var isComparison: Bool { precedence <= 4 }
}

public enum Literal: Sendable, Equatable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    /// As written (hex case preserved), compared case-insensitively after binding.
    case guid(String)
    case date(String)
    case dateTimeOffset(String)
    case timeOfDay(String)
    /// `qualifier'value'`: enum (`Ns.Type'A'`), `duration'P1D'`, `binary'…'`.
    case typed(qualifier: String, value: String)

    public static func == (lhs: Literal, rhs: Literal) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        // Bit equality so that NaN round-trips as equal to itself.
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): a == b
        case (.guid(let a), .guid(let b)): a == b
        case (.date(let a), .date(let b)): a == b
        case (.dateTimeOffset(let a), .dateTimeOffset(let b)): a == b
        case (.timeOfDay(let a), .timeOfDay(let b)): a == b
        case (.typed(let q1, let v1), .typed(let q2, let v2)): q1 == q2 && v1 == v2
        default: false
        }
    }
}
