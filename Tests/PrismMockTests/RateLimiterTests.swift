import FoundationEssentials
import PrismAPI
import Testing

@testable import PrismMock

struct RateLimiterTests {
    @Test func offByDefaultWithoutHeaders() throws {
        let app = try TestApp.make()
        for _ in 0..<20 { #expect(app.call("GET", Semantics.vmsPath).status == 200) }
        #expect(app.call("GET", Semantics.vmsPath).header("X-RateLimit-Limit") == nil)
    }

    @Test func overTheBurstIs429WithRetryAfterUntilTheBucketRefills() throws {
        let clock = TestClock()
        let app = try TestApp.make {
            $0.clock = clock.function
            $0.rateLimit = 1
            $0.rateBurst = 2
        }
        let a = app.call("GET", Semantics.vmsPath)
        #expect(a.status == 200)
        #expect(a.header("X-RateLimit-Limit") == "2")
        #expect(a.header("X-RateLimit-Remaining") == "1")
        #expect(app.call("GET", Semantics.vmsPath).header("X-RateLimit-Remaining") == "0")
        let over = app.call("GET", Semantics.vmsPath)
        #expect(over.status == 429)
        #expect(over.header("Retry-After") == "1")
        #expect(over.header("X-RateLimit-Remaining") == "0")
        #expect(over.json.value(atPath: "data/$objectType") == .string("vmm.v4.error.ErrorResponse"))
        clock.advance(0.5)
        #expect(app.call("GET", Semantics.vmsPath).status == 429)
        clock.advance(0.5)
        #expect(app.call("GET", Semantics.vmsPath).status == 200)
    }

    @Test(arguments: [(0.25, "4"), (0.4, "3"), (2.0, "1"), (100.0, "1")])
    func retryAfterIsWholeSecondsAtLeastOne(rate: Double, expected: String) throws {
        let app = try TestApp.make {
            $0.clock = TestClock().function
            $0.rateLimit = rate
            $0.rateBurst = 1
        }
        #expect(app.call("GET", Semantics.vmsPath).status == 200)
        let over = app.call("GET", Semantics.vmsPath)
        #expect(over.status == 429)
        #expect(over.header("Retry-After") == expected)
    }

    @Test func eachClientHasItsOwnBucket() throws {
        let app = try TestApp.make {
            $0.clock = TestClock().function
            $0.rateLimit = 1
            $0.rateBurst = 1
        }
        #expect(app.call("GET", Semantics.vmsPath).status == 200)
        #expect(app.call("GET", Semantics.vmsPath).status == 429)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("X-ntnx-api-key", Semantics.apiKey)]).status == 200)
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("X-ntnx-api-key", Semantics.apiKey)]).status == 429)
        // Anonymous clients are told apart by address (and still need to log in).
        #expect(app.raw("GET", Semantics.vmsPath, from: "10.0.0.1").status == 401)
        #expect(app.raw("GET", Semantics.vmsPath, from: "10.0.0.1").status == 429)
        #expect(app.raw("GET", Semantics.vmsPath, from: "10.0.0.2").status == 401)
    }

    @Test func theLimitChangesAtRunTimeAndTheAdminAPIIsExempt() throws {
        let app = try TestApp.make { $0.clock = TestClock().function }
        let on = app.call("PUT", "/_pcmock/config", body: #"{"rateLimit":{"requestsPerSecond":1,"burst":1}}"#)
        #expect(on.status == 200)
        #expect(app.call("GET", Semantics.vmsPath).header("X-RateLimit-Limit") == "1")
        #expect(app.call("GET", Semantics.vmsPath).status == 429)
        for _ in 0..<3 { #expect(app.call("GET", "/_pcmock/config").status == 200) }
        #expect(app.call("PUT", "/_pcmock/config", body: #"{"rateLimit":null}"#).status == 200)
        let off = app.call("GET", Semantics.vmsPath)
        #expect(off.status == 200)
        #expect(off.header("X-RateLimit-Limit") == nil)
    }

    @Test func aClockSteppingBackDoesNotRefill() {
        let buckets = TokenBuckets()
        let limit = RuntimeSettings.RateLimit(requestsPerSecond: 1, burst: 1)
        let t = Date(timeIntervalSince1970: 1_000)
        #expect(buckets.take("c", limit: limit, now: t).retryAfter == nil)
        #expect(buckets.take("c", limit: limit, now: t.addingTimeInterval(-10)).retryAfter != nil)
    }
}
