import FoundationEssentials
import HTTPServer
import Synchronization

/// A token bucket per client (issue 6 §4), configured by `RuntimeSettings.rateLimit` and so
/// changeable at run time. Over the limit → 429 with `Retry-After` in whole seconds (RFC 9110
/// §10.2.3; at least 1, since the SDK treats `Retry-After: 0` as "use your own backoff").
/// While limits are on every answer carries `X-RateLimit-Limit` (the bucket size) and
/// `X-RateLimit-Remaining` (whole tokens left).
///
/// It runs before authentication (DESIGN.md's order), so the identity is what the client claims:
/// the Basic user name, the API key, the session cookie, else the remote address. A client
/// lying about its name only splits its own budget; pcmock is a test double, not a gateway.
/// The admin API is exempt, so an operator can always turn limits off again.
struct RateLimiter: Middleware {
    let config: RuntimeConfig
    let clock: @Sendable () -> Date
    let buckets: TokenBuckets

    func handle(_ exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard let limit = config.current.rateLimit, !exchange.isAdmin else { return try next(&exchange) }
        let identity = RateLimiter.identity(exchange)
        let outcome = buckets.take(identity, limit: limit, now: clock())
        var response: HTTPResponse
        if let wait = outcome.retryAfter {
            let seconds = max(1, Int(wait.rounded(.up)))
            var e = V4Error(
                429, V4Error.namespace(ofPath: exchange.request.path), "RATE_LIMIT_EXCEEDED",
                "Too many requests: \(limit.requestsPerSecond) per second with a burst of \(limit.burst) "
                    + "are allowed; retry after \(seconds) s", detail: 1)
            e.extraHeaders.add("Retry-After", String(seconds))
            response = e.response()
        } else {
            response = try next(&exchange)
        }
        response.headers.set("X-RateLimit-Limit", String(limit.burst))
        response.headers.set("X-RateLimit-Remaining", String(outcome.remaining))
        return response
    }

    static func identity(_ exchange: Exchange) -> String {
        let headers = exchange.request.headers
        if let key = headers["X-ntnx-api-key"] { return "key:" + key }
        if let (user, _) = Authentication.basic(headers["Authorization"]) { return "user:" + user }
        if let token = Authentication.cookie(in: headers) { return "session:" + token }
        return "addr:" + exchange.connection.remoteAddress
    }
}

/// The buckets, one per identity, under one lock (a take is a few arithmetic operations).
final class TokenBuckets: Sendable {
    struct Outcome: Equatable {
        var remaining: Int
        /// Seconds until a token is available, when none was.
        var retryAfter: Double?
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
        var limit: RuntimeSettings.RateLimit
    }

    /// Buckets of idle clients are dropped beyond this many; a dropped bucket comes back full,
    /// which is what it would have refilled to anyway after a while.
    static let capacity = 10_000
    private let buckets = Mutex<[String: Bucket]>([:])

    func take(_ identity: String, limit: RuntimeSettings.RateLimit, now: Date) -> Outcome {
        buckets.withLock { map in
            let capacity = Double(limit.burst)
            var bucket = map[identity] ?? Bucket(tokens: capacity, updated: now, limit: limit)
            if bucket.limit != limit { bucket = Bucket(tokens: capacity, updated: now, limit: limit) }
            // A clock that steps back refills nothing rather than draining the bucket.
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(capacity, bucket.tokens + elapsed * limit.requestsPerSecond)
            bucket.updated = now
            var outcome: Outcome
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                outcome = Outcome(remaining: Int(bucket.tokens.rounded(.down)), retryAfter: nil)
            } else {
                outcome = Outcome(remaining: 0, retryAfter: (1 - bucket.tokens) / limit.requestsPerSecond)
            }
            if map[identity] == nil, map.count >= TokenBuckets.capacity { map.removeAll(keepingCapacity: true) }
            map[identity] = bucket
            return outcome
        }
    }
}
