/// Dotted-quad IPv4 addresses and prefixes, for validating subnet IP configuration.
enum IPv4 {
    /// `"10.0.0.1"` → its 32-bit value; nil for anything else (no leading zeros, four octets).
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength <= 0 ? 0 : UInt32.max << UInt32(32 - min(prefixLength, 32))
    }

    struct Prefix: Equatable {
        var network: UInt32
        var length: Int

        func contains(_ address: UInt32) -> Bool {
            address & IPv4.mask(length) == network
        }

        var text: String { "\(IPv4.format(network))/\(length)" }
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)"
    }
}
