/// The typed tree the binder produces from a syntax tree and a field catalog. Both back ends (the
/// evaluator and the SQL compiler) consume it, so they cannot disagree about what a query means.
public struct BoundExpression: Sendable {
    indirect enum Kind: Sendable {
        case constant(Scalar)
        /// `root` 0 is the document; `n > 0` is the n-th enclosing lambda variable (outermost = 1).
        case field(root: Int, path: [String])
        case compare(BinaryOperator, BoundExpression, BoundExpression, CompareMode)
        case and([BoundExpression])
        case or([BoundExpression])
        case not(BoundExpression)
        case arithmetic(BinaryOperator, BoundExpression, BoundExpression)
        case negate(BoundExpression)
        case inList(BoundExpression, [BoundExpression], CompareMode)
        /// Enum flags test: every listed member is in the comma-separated stored value.
        case has(BoundExpression, [String])
        case call(Function, [BoundExpression])
        case lambda(LambdaKind, root: Int, path: [String], variable: Int, predicate: BoundExpression?)
    }

    var kind: Kind
    var type: ValueType

    init(_ kind: Kind, _ type: ValueType) {
        self.kind = kind
        self.type = type
    }
}

/// Types of bound values (collections and objects never appear as values).
enum ValueType: Sendable, Equatable {
    case null, string, integer, double, boolean, datetime, guid, date, timeOfDay, duration
    case enumeration(EnumType)

    init?(_ field: FieldType) {
        switch field {
        case .string: self = .string
        case .integer: self = .integer
        case .double: self = .double
        case .boolean: self = .boolean
        case .datetime: self = .datetime
        case .guid: self = .guid
        case .enumeration(let type): self = .enumeration(type)
        case .array, .object: return nil
        }
    }

    var isNumeric: Bool { self == .integer || self == .double }

    /// Types a text function (`contains`, `length`, …) accepts.
    var isText: Bool {
        switch self {
        case .string, .guid, .enumeration: true
        default: false
        }
    }

    var name: String {
        switch self {
        case .enumeration(let type): type.qualifiedName ?? "enum"
        default: "\(self)"
        }
    }
}

/// How two operands of a comparison are compared once both are non-null.
enum CompareMode: Sendable, Equatable {
    case plain
    /// GUIDs: ASCII case-insensitive (odata.md §6.3).
    case caseInsensitive
    /// Datetimes: as instants, not as text (odata.md §3 "Dates").
    case instant
    /// Enum ordering by declaration order; `eq`/`ne` still compare member names.
    case enumRank(EnumType)
    /// The constant side can never equal a value of the other side (a non-UUID string against a
    /// UUID field, NaN): `eq` is false, `ne` true, ordering false (odata.md §0.3).
    case never
}

/// A runtime value in the evaluator, and a constant in the bound tree.
enum Scalar: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case datetime(DateTime)
    /// `YYYY-MM-DD`, ordered as text.
    case date(String)
    /// Milliseconds since midnight / of a duration.
    case time(Int64)
    case duration(Int64)

    var isNull: Bool { self == .null }
}
