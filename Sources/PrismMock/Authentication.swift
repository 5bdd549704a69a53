import FoundationEssentials
import HTTPServer

/// Who may call pcmock (sdk-contract.md §c): HTTP Basic with the configured user or an IAM user
/// that has a password, `X-ntnx-api-key` with an IAM key, or (only with `--session-cookies`) the
/// `NTNX_IGW_SESSION` cookie handed out after one of those. Everything else is a 401 carrying
/// `WWW-Authenticate: Basic` (RFC 9110 §11.6.1, RFC 7617) and a v4 error body.
///
/// `GET`/`HEAD /_pcmock/health` is the one exception, so that readiness probes (Docker, CI
/// scripts polling for start-up) need no secret.
struct Authentication: Middleware {
    struct Settings: Sendable {
        var enabled = true
        var username = "admin"
        var password = "Nutanix/4u"
        var sessionCookies = false
    }

    static let cookieName = "NTNX_IGW_SESSION"

    let settings: Settings
    let credentials: Credentials
    let sessions: SessionStore
    /// `Basic base64(user:password)` of the configured user, as RFC 7617 §2 spells it.
    private let canonicalBasic: [UInt8]

    init(settings: Settings, credentials: Credentials, sessions: SessionStore) {
        self.settings = settings
        self.credentials = credentials
        self.sessions = sessions
        let pair = Data("\(settings.username):\(settings.password)".utf8)
        canonicalBasic = Array(("Basic " + pair.base64EncodedString()).utf8)
    }

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard settings.enabled else {
            exchange.principal = Principal(extId: Principal.admin.extId, name: settings.username)
            return try next(&exchange)
        }
        let request = exchange.request
        if request.path == "/_pcmock/health", request.method == "GET" || request.method == "HEAD" {
            return try next(&exchange)
        }
        if settings.sessionCookies, let token = Authentication.cookie(in: request.headers),
            let principal = sessions.principal(for: token)
        {
            exchange.principal = principal
            return try next(&exchange)
        }
        guard let principal = try authenticate(request.headers) else { throw unauthorized(request) }
        exchange.principal = principal
        var response = try next(&exchange)
        if settings.sessionCookies {
            // No Expires attribute: its comma would split the SDK's cookie parsing (sdk-contract.md §c).
            response.headers.add(
                "Set-Cookie", "\(Authentication.cookieName)=\(sessions.open(for: principal)); Path=/; HttpOnly")
        }
        return response
    }

    /// An API key, when sent, decides alone: a revoked key must fail even next to a good password.
    private func authenticate(_ headers: HTTPHeaders) throws -> Principal? {
        if let key = headers["X-ntnx-api-key"] {
            return try credentials.principal(apiKey: String(Substring(key).trimmingSpaces()))
        }
        guard let header = headers["Authorization"] else { return nil }
        // Fast path: the header clients build from the configured credentials, compared as bytes
        // (no base64 decoding on the common request; profiled at ~4% of a GET by id).
        if ConstantTime.equal(header, canonicalBasic) {
            return Principal(extId: Principal.admin.extId, name: settings.username)
        }
        guard let (user, password) = Authentication.basic(header) else { return nil }
        // Both compared, so a right user name with a wrong password takes as long as a wrong one.
        let userOK = ConstantTime.equalSecrets(user, settings.username)
        let passwordOK = ConstantTime.equalSecrets(password, settings.password)
        if userOK && passwordOK { return Principal(extId: Principal.admin.extId, name: settings.username) }
        return try credentials.principal(username: user, password: password)
    }

    private func unauthorized(_ request: HTTPRequest) -> V4Error {
        let ns = V4Error.namespace(ofPath: request.path)
        let what =
            request.headers.contains("X-ntnx-api-key")
            ? "the API key is unknown, revoked or expired"
            : request.headers.contains("Authorization")
                ? "the user name or password is wrong"
                : "credentials are required (HTTP Basic or X-ntnx-api-key)"
        var e = V4Error(401, ns, "AUTHENTICATION_FAILED", "Authentication failed: \(what)")
        e.extraHeaders.add("WWW-Authenticate", #"Basic realm="pcmock""#)
        return e
    }

    /// `Basic <base64(user:password)>` (RFC 7617 §2); the password may contain colons.
    static func basic(_ header: String?) -> (String, String)? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].equalsIgnoringASCIICase("Basic"),
            let data = Data(base64Encoded: String(parts[1].trimmingSpaces())),
            case let text = String(decoding: data, as: UTF8.self), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The session token from `Cookie: a=b; NTNX_IGW_SESSION=…` (RFC 6265 §5.4).
    static func cookie(in headers: HTTPHeaders) -> String? {
        for header in headers.values("Cookie") {
            for pair in header.split(separator: ";") {
                let p = pair.trimmingSpaces()
                guard let eq = p.firstIndex(of: "="), p[..<eq] == cookieName else { continue }
                return String(p[p.index(after: eq)...])
            }
        }
        return nil
    }
}
