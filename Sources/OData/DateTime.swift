/// An RFC 3339 / OData dateTimeOffset value: the instant in milliseconds and the text it came from.
///
/// The accepted shapes and the millisecond rounding mirror SQLite's date parser (date.c: `YYYY-MM-DD`,
/// then `T` or space and `HH:MM[:SS[.fff…]]`, then `Z` or `±HH:MM`), because the SQL back end
/// compares with `julianday()` and both back ends must agree on what is a valid datetime.
struct DateTime: Sendable, Equatable {
    var milliseconds: Int64
    var text: String

    static func == (lhs: DateTime, rhs: DateTime) -> Bool { lhs.milliseconds == rhs.milliseconds }

    init(milliseconds: Int64, text: String) {
        self.milliseconds = milliseconds
        self.text = text
    }

    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard let milliseconds = DateTime.parse(bytes) else { return nil }
        self.milliseconds = milliseconds
        self.text = text
    }

    /// Canonical UTC text with milliseconds, e.g. `2024-01-02T03:04:05.678Z`.
    var canonicalText: String { DateTime.format(milliseconds) }

    private static func number(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for index in at..<(at + count) {
            guard isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        return value
    }

    static func parse(_ bytes: [UInt8]) -> Int64? {
        guard let year = number(bytes, 0, 4), bytes.count >= 10, bytes[4] == UInt8(ascii: "-"),
            let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"), let day = number(bytes, 8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var milliseconds = Int64(daysFromCivil(year, month, day)) * 86_400_000
        var index = 10
        if index == bytes.count { return milliseconds }
        guard bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " "),
            let hour = number(bytes, index + 1, 2), bytes.count > index + 3, bytes[index + 3] == UInt8(ascii: ":"),
            let minute = number(bytes, index + 4, 2), hour <= 24, minute <= 59
        else { return nil }
        index += 6
        var seconds = 0
        var fraction = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let second = number(bytes, index + 1, 2), second <= 59 else { return nil }
            seconds = second
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while index < bytes.count, isDigit(bytes[index]) {
                    // SQLite keeps milliseconds, rounding on the fourth digit.
                    let digit = Int(bytes[index] - 0x30)
                    let position = index - start
                    if position < 3 { fraction += digit * [100, 10, 1][position] }
                    if position == 3, digit >= 5 { fraction += 1 }
                    index += 1
                }
                if index == start { return nil }
            }
        }
        milliseconds += Int64(hour * 3_600_000 + minute * 60_000 + seconds * 1000 + fraction)
        if index == bytes.count { return milliseconds }
        if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count { return milliseconds }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), bytes.count == index + 6,
            let offsetHours = number(bytes, index + 1, 2), bytes[index + 3] == UInt8(ascii: ":"),
            let offsetMinutes = number(bytes, index + 4, 2), offsetHours <= 14, offsetMinutes <= 59
        else { return nil }
        let offset = Int64(offsetHours * 60 + offsetMinutes) * 60_000
        return bytes[index] == UInt8(ascii: "+") ? milliseconds - offset : milliseconds + offset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func format(_ milliseconds: Int64) -> String {
        let days = Int(milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000)
        let rest = Int(milliseconds - Int64(days) * 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3_600_000, 2)):"
            + "\(pad(rest / 60_000 % 60, 2)):\(pad(rest / 1000 % 60, 2)).\(pad(rest % 1000, 3))Z"
    }

    /// SQLite's `CAST(substr(text, start, count) AS INTEGER)` (1-based start): the leading integer
    /// prefix, 0 when there is none. `year()`…`second()` are defined this way in both back ends.
    static func castInteger(_ text: String, start: Int, count: Int) -> Int64 {
        let bytes = Array(text.utf8)
        guard start - 1 < bytes.count else { return 0 }
        let slice = bytes[(start - 1)..<min(bytes.count, start - 1 + count)]
        var value: Int64 = 0
        var negative = false
        var first = true
        for byte in slice {
            if first, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                negative = byte == UInt8(ascii: "-")
                first = false
                continue
            }
            first = false
            guard isDigit(byte) else { break }
            value = value * 10 + Int64(byte - 0x30)
        }
        return negative ? -value : value
    }
}
