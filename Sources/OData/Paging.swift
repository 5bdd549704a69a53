/// `$page` (0-based) and `$limit` (1–100, default 50), Nutanix's paging options (odata.md §0.6).
public enum Paging {
    public static let defaultLimit = 50
    public static let maximumLimit = 100

    static func page(_ text: String?) throws(ODataError) -> Int {
        guard let text = nonEmpty(text) else { return 0 }
        guard let value = Int(text), value >= 0 else {
            throw ODataError(
                .invalidOption, option: "$page", offset: 0, token: text,
                message: "must be an integer greater than or equal to 0")
        }
        return value
    }

    static func limit(_ text: String?) throws(ODataError) -> Int {
        guard let text = nonEmpty(text) else { return defaultLimit }
        guard let value = Int(text), (1...maximumLimit).contains(value) else {
            throw ODataError(
                .invalidOption, option: "$limit", offset: 0, token: text,
                message: "must be an integer between 1 and \(maximumLimit)")
        }
        return value
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharactersSpace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
