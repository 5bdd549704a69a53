extension StringProtocol {
    /// `hasPrefix` by bytes. The standard one compares Characters (grapheme breaking, unspecialized
    /// on `Substring`): ~1.2k instructions per call on a request path, three calls per request.
    /// Equal for the ASCII prefixes pcmock tests paths against.
    func hasBytePrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        var bytes = utf8.makeIterator()
        for i in 0..<count {
            guard let b = bytes.next(), b == prefix.utf8Start[i] else { return false }
        }
        return true
    }

    /// `hasSuffix` by bytes, for the same reason (the standard one compares by canonical
    /// equivalence). Equal for ASCII suffixes.
    func hasByteSuffix(_ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        let bytes = utf8
        guard bytes.count >= count else { return false }
        return suffix.withUTF8Buffer { bytes.suffix(count).elementsEqual($0) }
    }
}
