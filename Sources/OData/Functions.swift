/// Canonical function semantics shared by the evaluator (Part 2 §5.1.1.5–5.1.1.11). Every function
/// returns null when a parameter is null. Text is handled as Unicode scalars (SQLite counts
/// characters the same way); case mapping and `trim` follow SQLite's ASCII-only built-ins.
enum Functions {
    static func apply(_ function: Function, _ values: [Scalar]) -> Scalar {
        if values.contains(.null) { return .null }
        switch function {
        case .contains, .startswith, .endswith, .indexof, .concat, .matchesPattern:
            guard case .string(let text) = values[0], case .string(let other) = values[1] else { return .null }
            return binaryText(function, text, other)
        case .length:
            guard case .string(let text) = values[0] else { return .null }
            return .int(Int64(text.unicodeScalars.count))
        case .tolower, .toupper, .trim:
            guard case .string(let text) = values[0] else { return .null }
            if function == .tolower { return .string(asciiLowercased(text)) }
            if function == .toupper { return .string(asciiUppercased(text)) }
            let scalars = text.unicodeScalars
            let trimmed = scalars.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
            return .string(String(String.UnicodeScalarView(trimmed)))
        case .substring:
            return substring(values)
        case .year, .month, .day, .hour, .minute, .second, .date, .fractionalseconds, .totaloffsetminutes, .time:
            return temporal(function, values[0])
        case .round, .floor, .ceiling:
            switch values[0] {
            // SQLite's round() always yields a real; floor()/ceil() keep integers.
            case .int(let x): return function == .round ? .double(Double(x)) : values[0]
            case .double(let x):
                if function == .floor { return .double(x.rounded(.down)) }
                if function == .ceiling { return .double(x.rounded(.up)) }
                // SQLite's round(x): add ±0.5 and truncate, below 2^52 only (func.c roundFunc).
                if abs(x) >= 4_503_599_627_370_496.0 { return .double(x) }
                return .double(Double(Int64(x + (x < 0 ? -0.5 : 0.5))))
            default: return .null
            }
        case .now, .mindatetime, .maxdatetime:
            return .null  // bound to constants by the binder
        }
    }

    private static func binaryText(_ function: Function, _ text: String, _ other: String) -> Scalar {
        let haystack = Array(text.utf8)
        let needle = Array(other.utf8)
        switch function {
        case .contains: return .bool(find(needle, in: haystack) != nil)
        case .startswith: return .bool(haystack.starts(with: needle))
        case .endswith:
            return .bool(haystack.count >= needle.count && haystack.suffix(needle.count).elementsEqual(needle))
        case .indexof:
            guard let byteIndex = find(needle, in: haystack) else { return .int(-1) }
            // Count characters (scalars) before the match: bytes that are not UTF-8 continuations.
            return .int(Int64(haystack[..<byteIndex].filter { $0 & 0xC0 != 0x80 }.count))
        case .concat: return .string(text + other)
        case .matchesPattern:
            guard let regex = try? Regex(other) else { return .null }
            return .bool((try? regex.firstMatch(in: text)) != nil)
        default: return .null
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        if needle.isEmpty { return 0 }
        guard haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Zero-based `substring(text, start[, length])`; a negative start counts as 0, a negative
    /// length (only possible at run time) is null.
    private static func substring(_ values: [Scalar]) -> Scalar {
        guard case .string(let text) = values[0], case .int(let rawStart) = values[1] else { return .null }
        let scalars = Array(text.unicodeScalars)
        let start = Int(clamping: max(rawStart, 0))
        var end = scalars.count
        if values.count == 3 {
            guard case .int(let length) = values[2], length >= 0 else { return .null }
            let (sum, overflow) = start.addingReportingOverflow(Int(clamping: length))
            end = overflow ? scalars.count : min(sum, scalars.count)
        }
        guard start < end else { return .string("") }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return .string(String(view))
    }

    /// Components in the value's own offset (Part 2 §5.1.1.8), read from the text at fixed RFC 3339
    /// positions, exactly as the SQL back end's `CAST(substr(…) AS INTEGER)` does.
    private static func temporal(_ function: Function, _ value: Scalar) -> Scalar {
        let text: String
        var milliseconds: Int64 = 0
        switch value {
        case .datetime(let dateTime):
            text = dateTime.text
            milliseconds = dateTime.milliseconds
        case .date(let date): text = date
        default: return .null
        }
        switch function {
        case .year: return .int(DateTime.castInteger(text, start: 1, count: 4))
        case .month: return .int(DateTime.castInteger(text, start: 6, count: 2))
        case .day: return .int(DateTime.castInteger(text, start: 9, count: 2))
        case .hour: return .int(DateTime.castInteger(text, start: 12, count: 2))
        case .minute: return .int(DateTime.castInteger(text, start: 15, count: 2))
        case .second: return .int(DateTime.castInteger(text, start: 18, count: 2))
        case .date: return .date(String(text.prefix(10)))
        case .fractionalseconds:
            let fraction = ((milliseconds % 1000) + 1000) % 1000
            return .double(Double(fraction) / 1000)
        case .totaloffsetminutes:
            return .int(offsetMinutes(text))
        case .time:
            let local =
                DateTime.castInteger(text, start: 12, count: 2) * 3_600_000
                + DateTime.castInteger(text, start: 15, count: 2) * 60_000
                + DateTime.castInteger(text, start: 18, count: 2) * 1000
            return .time(local + ((milliseconds % 1000) + 1000) % 1000)
        default: return .null
        }
    }

    private static func offsetMinutes(_ text: String) -> Int64 {
        let bytes = Array(text.utf8)
        guard bytes.count >= 6 else { return 0 }
        let sign = bytes[bytes.count - 6]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), bytes.count > 16 else { return 0 }
        let hours = DateTime.castInteger(text, start: bytes.count - 4, count: 2)
        let minutes = DateTime.castInteger(text, start: bytes.count - 1, count: 2)
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
    }
}
