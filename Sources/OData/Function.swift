/// The canonical functions of OData 4.01 Part 2 §5.1.1.5–5.1.1.11 that pcmock implements.
public enum Function: String, Sendable, Equatable, CaseIterable {
    case contains, startswith, endswith, length, indexof, substring, tolower, toupper, trim, concat
    case matchesPattern
    case year, month, day, hour, minute, second, fractionalseconds, totaloffsetminutes, date, time
    case now, mindatetime, maxdatetime
    case round, floor, ceiling

    /// Function names are case-insensitive in 4.01 (Part 2 §5.1.1.5).
    static let byLowercasedName: [String: Function] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue.lowercased(), $0) })

    var arity: ClosedRange<Int> {
        switch self {
        case .now, .mindatetime, .maxdatetime: 0...0
        case .substring: 2...3
        case .contains, .startswith, .endswith, .indexof, .concat, .matchesPattern: 2...2
        default: 1...1
        }
    }
}
