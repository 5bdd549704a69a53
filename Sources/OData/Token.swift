/// One lexical token of a `$filter`/`$orderby` expression: a kind and its byte range in the input.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `name`, `$it`, or a dotted chain `geo.distance` / `Edm.String` (no quote follows).
        case identifier
        /// `'…'` with `''` escapes (OData ABNF `stringLiteral`).
        case string
        /// `Qualified.Name'…'`, `duration'…'`, `binary'…'` (ABNF `enum`, `duration`, …).
        case typedLiteral
        case integer
        /// Decimal or double, incl. exponent, `INF` and `NaN` are identifiers until the parser sees them.
        case decimal
        case guid
        case date
        case dateTimeOffset
        case timeOfDay
        case openParen, closeParen, comma, slash, colon, minus, star, semicolon
        case end
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// For `.typedLiteral`: where the opening quote is (the qualifier is `start..<quote`).
    var quote: Int = 0
}
