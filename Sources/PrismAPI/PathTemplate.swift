/// A path template split into segments, with the `v4.x` version segment abstracted so that every
/// version a client negotiates reaches the same operation (sdk-contract.md section a).
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
        /// `v4.<n>` with an optional `.a<k>` / `.b<k>` suffix.
        case version
    }

    public let segments: [Segment]

    /// Already split (the catalog index stores templates split).
    init(segments: [Segment]) {
        self.segments = segments
    }

    /// Parses a template as the SDK writes it: `/api/vmm/v4.3/ahv/config/vms/{extId}/$actions/power-on`.
    /// The third segment (`/api/<namespace>/<version>/...`) is the version.
    public init(_ template: String) {
        // Over the raw bytes: Character-level `split`/`first`/`dropLast` walk grapheme breaks, and
        // this runs for each of the 963 operations at start-up.
        var segments: [Segment] = []
        var text = template
        text.withUTF8 { bytes in
            segments.reserveCapacity(bytes.count { $0 == UInt8(ascii: "/") })
            var start = 0
            var position = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
                defer { start = end + 1 }
                guard end > start else { continue }
                let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if piece.count >= 2, piece[0] == UInt8(ascii: "{"), piece[piece.count - 1] == UInt8(ascii: "}") {
                    let name = UnsafeBufferPointer(rebasing: piece[1..<piece.count - 1])
                    segments.append(.parameter(String(decoding: name, as: UTF8.self)))
                } else {
                    let literal = String(decoding: piece, as: UTF8.self)
                    segments.append(position == 2 && Self.isVersionSegment(literal) ? .version : .literal(literal))
                }
                position += 1
            }
        }
        self.segments = segments
    }

    /// The template with `{version}` in place of the version: `/api/vmm/{version}/ahv/config/vms/{extId}`.
    public var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): return text
            case .parameter(let name): return "{\(name)}"
            case .version: return "{version}"
            }
        }.joined(separator: "/")
    }

    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
    }

    /// Matches already split and percent-decoded path segments; returns the path parameters.
    public func match<S: StringProtocol>(_ pathSegments: [S]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, actual) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let text):
                guard actual == text else { return nil }
            case .version:
                guard Self.isVersionSegment(actual) else { return nil }
            case .parameter(let name):
                guard !actual.isEmpty else { return nil }
                parameters[name] = String(actual)
            }
        }
        return parameters
    }

    /// `v4.<digits>` optionally followed by `.a<digits>` or `.b<digits>` (the SDK's negotiation
    /// regex, sdk-contract.md section a, restricted to major version 4).
    public static func isVersionSegment<S: StringProtocol>(_ text: S) -> Bool {
        // Walks the bytes in place: this runs on every request, and an Array copy allocated.
        var position = 0
        var majorDigits = 0
        var suffixLetter = false
        var suffixDigits = 0
        for byte in text.utf8 {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            switch position {
            case 0: guard byte == UInt8(ascii: "v") else { return false }
            case 1: guard byte == UInt8(ascii: "4") else { return false }
            case 2: guard byte == UInt8(ascii: ".") else { return false }
            default:
                if suffixLetter {
                    guard isDigit else { return false }
                    suffixDigits += 1
                } else if isDigit && majorDigits == position - 3 {
                    majorDigits += 1
                } else if majorDigits > 0 && position == majorDigits + 3 && byte == UInt8(ascii: ".") {
                    // the dot before an `a`/`b` suffix
                } else if majorDigits > 0 && position == majorDigits + 4
                    && (byte == UInt8(ascii: "a") || byte == UInt8(ascii: "b"))
                {
                    suffixLetter = true
                } else {
                    return false
                }
            }
            position += 1
        }
        return majorDigits > 0 && (suffixLetter ? suffixDigits > 0 : position == majorDigits + 3)
    }
}
