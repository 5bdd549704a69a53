/// The `entitiesAffected[].rel` string clients match exactly (real-clients.md §2.4, §3):
/// namespace and module path joined by `:` with the resource in the singular, e.g.
/// `vmm:ahv:config:vm`, `vmm:content:image`, `networking:config:subnet`.
enum RelName {
    /// Collections whose rel the clients spell in the plural.
    private static let pluralRels: Set<String> = ["storage-containers", "floating-ips"]

    static func forCollection(_ collection: String) -> String {
        guard let colon = collection.firstIndex(of: ":") else { return collection }
        let namespace = collection[..<colon]
        let literals = collection[collection.index(after: colon)...].split(separator: "/").filter { $0 != "{}" }
        guard let last = literals.last else { return String(namespace) }
        let resource = pluralRels.contains(String(last)) ? String(last) : singular(String(last))
        return ([String(namespace)] + literals.dropLast().map(String.init) + [resource]).joined(separator: ":")
    }

    static func singular(_ word: String) -> String {
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("xes") { return String(word.dropLast(2)) }
        if word.hasSuffix("s") && !word.hasSuffix("ss") { return String(word.dropLast()) }
        return word
    }

    /// `vms` → `vmExtId`, `storage-containers` → `storageContainerExtId`: the completion-detail name.
    static func completionName(_ collection: String) -> String {
        let last = collection.split(separator: "/").last { $0 != "{}" }.map(String.init) ?? "entity"
        let parts = singular(last.split(separator: ":").last.map(String.init) ?? last).split(separator: "-")
        var out = parts.first.map(String.init) ?? "entity"
        for p in parts.dropFirst() { out += p.prefix(1).uppercased() + p.dropFirst() }
        return out + "ExtId"
    }
}
