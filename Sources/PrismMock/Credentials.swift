import EntityStore
import FoundationEssentials
import OData
import PrismAPI

/// Secrets that let IAM users and keys log in. They live as private rows of the `pcmock`
/// namespace, beside the entities: no catalog route reaches that namespace, so a list, a GET or
/// a `$filter` can never return them, and they take part in the same transactions, resets and
/// snapshots as the users and keys they belong to. Only hashes are stored.
struct Credentials: Sendable {
    static let namespace = "pcmock"
    /// extId = user name; `{"userExtId","salt","sha256"}` with sha256 = SHA-256(salt ‖ password).
    static let passwordKind = "passwords"
    /// extId = SHA-256 of the key (hex): API keys are 128+ random bits, so a salt adds nothing and
    /// the hash itself is the lookup key. `{"keyExtId","userExtId"}`.
    static let apiKeyKind = "api-keys"
    static let usersKind = "iam:authn/users"
    static let keysKind = "iam:authn/users/{}/keys"

    let store: EntityStore
    let clock: @Sendable () -> Date

    static func passwordRow(username: String, userExtId: String, password: String) -> NewEntity {
        let salt = RandomToken.hex(bytes: 16)
        let doc = JSONObject([
            ("userExtId", .string(userExtId)), ("salt", .string(salt)),
            ("sha256", .string(SHA256.hex(Array(salt.utf8) + Array(password.utf8)))),
        ])
        return NewEntity(
            namespace: namespace, kind: passwordKind, extId: username, parentExtId: userExtId,
            document: JSON.object(doc).text)
    }

    static func apiKeyRow(sha256: String, keyExtId: String, userExtId: String) -> NewEntity {
        let doc = JSONObject([("keyExtId", .string(keyExtId)), ("userExtId", .string(userExtId))])
        return NewEntity(
            namespace: namespace, kind: apiKeyKind, extId: sha256.lowercased(), parentExtId: keyExtId,
            document: JSON.object(doc).text)
    }

    /// The IAM user with this password, or nil. A missing user still costs a hash, so timing
    /// does not tell which user names exist.
    func principal(username: String, password: String) throws -> Principal? {
        guard
            let row = try store.get(namespace: Credentials.namespace, kind: Credentials.passwordKind, extId: username),
            let doc = try? JSON.parse(row.document), let salt = doc["salt"]?.stringValue,
            let expected = doc["sha256"]?.stringValue, let userExtId = doc["userExtId"]?.stringValue
        else {
            _ = SHA256.hash(Array(password.utf8))
            return nil
        }
        let actual = SHA256.hex(Array(salt.utf8) + Array(password.utf8))
        guard ConstantTime.equal(Array(actual.utf8), Array(expected.utf8)) else { return nil }
        guard let user = try store.get(namespace: "iam", kind: Credentials.usersKind, extId: userExtId),
            Credentials.isActive(user)
        else { return nil }
        return Principal(extId: userExtId, name: username)
    }

    /// The owner of a valid API key, or nil when the key is unknown, revoked, expired or its user
    /// is gone. The key is looked up by its hash, so no key value is ever compared.
    func principal(apiKey: String) throws -> Principal? {
        let hash = SHA256.hex(Array(apiKey.utf8))
        return try store.read { view -> Principal? in
            guard let row = try view.get(namespace: Credentials.namespace, kind: Credentials.apiKeyKind, extId: hash),
                let doc = try? JSON.parse(row.document), let keyExtId = doc["keyExtId"]?.stringValue,
                let userExtId = doc["userExtId"]?.stringValue,
                let key = try view.get(namespace: "iam", kind: Credentials.keysKind, extId: keyExtId),
                let keyDoc = try? JSON.parse(key.document)
            else { return nil }
            if let status = keyDoc["status"]?.stringValue, status != "VALID" { return nil }
            if let expiry = keyDoc["expiryTime"]?.stringValue {
                guard let date = RFC3339.parse(expiry), date > clock() else { return nil }
            }
            guard let user = try view.get(namespace: "iam", kind: Credentials.usersKind, extId: userExtId),
                Credentials.isActive(user)
            else { return nil }
            let name = (try? JSON.parse(user.document))?["username"]?.stringValue ?? userExtId
            return Principal(extId: userExtId, name: name)
        }
    }

    private static func isActive(_ user: StoredEntity) -> Bool {
        guard let status = (try? JSON.parse(user.document))?["status"]?.stringValue else { return true }
        return status == "ACTIVE"
    }
}
