import Dispatch
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI
import Synchronization
import Testing

@testable import PrismMock

struct IdempotencyTests {
    func vmCount(_ app: PrismMockApp) -> JSON? {
        app.call("GET", Semantics.vmsPath).json.value(atPath: "metadata/totalAvailableResults")
    }

    func post(_ app: PrismMockApp, id: String, body: String = Semantics.vmBody, path: String = Semantics.vmsPath)
        -> Reply
    {
        app.call("POST", path, body: body, headers: [("NTNX-Request-Id", id)])
    }

    @Test(arguments: ["POST", "PUT", "DELETE"])
    func mutationsWithoutARequestIdAre400(method: String) throws {
        let app = try TestApp.make()
        let r = app.raw(
            method, Semantics.vmsPath, headers: [("Authorization", TestApp.basicAdmin)], body: Semantics.vmBody)
        #expect(r.status == 400)
        #expect(r.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("MISSING_REQUEST_ID"))
        #expect(app.raw("GET", Semantics.vmsPath, headers: [("Authorization", TestApp.basicAdmin)]).status == 200)
    }

    @Test func lenientModeAcceptsAMissingRequestId() throws {
        let app = try TestApp.make { $0.lenientRequestId = true }
        let r = app.raw(
            "POST", Semantics.vmsPath, headers: [("Authorization", TestApp.basicAdmin)], body: Semantics.vmBody)
        #expect(r.status == 202)
    }

    @Test func aReplayReturnsTheSameBytesWithoutExecutingAgain() throws {
        let app = try TestApp.make()
        let before = vmCount(app)
        let first = post(app, id: "replay-1")
        #expect(first.status == 202)
        let second = post(app, id: "replay-1")
        #expect(second.status == first.status)
        #expect(second.response.headers == first.response.headers)
        #expect(second.response.body == first.response.body)
        #expect(second.json.value(atPath: "data/extId") == first.json.value(atPath: "data/extId"))
        if case .int(let n)? = before { #expect(vmCount(app) == .int(n + 1)) } else { Issue.record("no count") }
    }

    @Test(arguments: [
        ("POST", Semantics.vmsPath, #"{"name":"other"}"#),
        ("POST", Semantics.categoriesPath, #"{"key":"K","value":"V"}"#),
        ("PUT", Semantics.vmsPath + "/00000000-0000-0000-0000-000000000001", Semantics.vmBody),
    ])
    func theSameIdOnADifferentRequestIs409(method: String, path: String, body: String) throws {
        let app = try TestApp.make()
        #expect(post(app, id: "reused").status == 202)
        let r = app.call(method, path, body: body, headers: [("NTNX-Request-Id", "reused")])
        #expect(r.status == 409)
        #expect(r.json.value(atPath: "data/error")?.arrayValue?.first?["errorGroup"] == .string("REQUEST_ID_REUSED"))
    }

    @Test func errorsAreFinalAnswersToo() throws {
        let app = try TestApp.make()
        let first = post(app, id: "bad-body", body: #"{"name":"x","numSockets":"two"}"#)
        #expect(first.status == 400)
        let again = post(app, id: "bad-body", body: #"{"name":"x","numSockets":"two"}"#)
        #expect(again.response.body == first.response.body)
    }

    /// A conflict thrown inside the effect's transaction rolls it back; the 409 itself is kept.
    @Test func anErrorFromInsideTheTransactionIsReplayed() throws {
        let app = try TestApp.make()
        let body = #"{"username":"carol","userType":"LOCAL","password":"pw-one"}"#
        #expect(app.call("POST", Semantics.usersPath, body: body).status == 201)
        let dup = #"{"username":"carol","userType":"LOCAL","password":"pw-two"}"#
        let first = app.call("POST", Semantics.usersPath, body: dup, headers: [("NTNX-Request-Id", "dup-user")])
        #expect(first.status == 409)
        let stored = try app.store.read { try $0.idempotencyRecord(requestId: "dup-user") }
        #expect(stored?.status == 409)
        let again = app.call("POST", Semantics.usersPath, body: dup, headers: [("NTNX-Request-Id", "dup-user")])
        #expect(again.response.body == first.response.body)
    }

    @Test(arguments: [
        (200, true), (201, true), (202, true), (204, true), (400, true), (404, true), (409, true),
        (412, true), (428, true), (401, false), (408, false), (429, false), (500, false), (503, false),
        (504, false),
    ])
    func onlyFinalAnswersAreKept(status: Int, kept: Bool) {
        #expect(IdempotencyRecorder.isFinal(status) == kept)
    }

    /// The SDKs retry a 429 with the same id (sdk-contract.md §b): the retry must execute once.
    @Test func aThrottledFirstAttemptDoesNotPoisonTheId() throws {
        let clock = TestClock()
        let app = try TestApp.make {
            $0.clock = clock.function
            $0.rateLimit = 1
            $0.rateBurst = 1
        }
        let before = vmCount(app)  // takes the only token
        let throttled = post(app, id: "retry-me")
        #expect(throttled.status == 429)
        clock.advance(1)
        let retried = post(app, id: "retry-me")
        #expect(retried.status == 202)
        clock.advance(1)
        let again = post(app, id: "retry-me")
        #expect(again.response.body == retried.response.body)
        clock.advance(1)
        if case .int(let n)? = before { #expect(vmCount(app) == .int(n + 1)) } else { Issue.record("no count") }
    }

    @Test func concurrentRequestsWithOneIdExecuteOnce() throws {
        let app = try TestApp.make()
        let before = vmCount(app)
        let bodies = Mutex<[[UInt8]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let r = app.call("POST", Semantics.vmsPath, body: Semantics.vmBody, headers: [("NTNX-Request-Id", "race")])
            bodies.withLock { $0.append(r.response.body) }
        }
        let all = bodies.withLock { $0 }
        #expect(all.count == 8)
        #expect(Set(all).count == 1)
        if case .int(let n)? = before { #expect(vmCount(app) == .int(n + 1)) } else { Issue.record("no count") }
    }

    @Test func aRequestStillRunningMakesTheSecondOneWaitBoundedThen409() throws {
        let app = try TestApp.make()
        let inFlight = InFlightRequests()
        let middleware = Idempotency(
            settings: .init(waitMilliseconds: 20), store: app.store, clock: { Date() }, inFlight: inFlight,
            state: IdempotencyState())
        guard case .claimed = inFlight.claim("slow") else {
            Issue.record("claim")
            return
        }
        var h = HTTPHeaders()
        h.add("NTNX-Request-Id", "slow")
        var exchange = Exchange(
            request: HTTPRequest(method: "POST", target: Semantics.vmsPath, headers: h),
            connection: ConnectionInfo(remoteAddress: "127.0.0.1", remotePort: 1, localPort: 2), receivedAt: Date())
        let executed = Mutex(false)
        #expect {
            try middleware.handle(&exchange) { _ in
                executed.withLock { $0 = true }
                return HTTPResponse(status: 202)
            }
        } throws: { ($0 as? V4Error)?.errorGroup == "REQUEST_IN_PROGRESS" && ($0 as? V4Error)?.status == 409 }
        #expect(executed.withLock { $0 } == false)
        inFlight.release("slow")
        guard case .claimed = inFlight.claim("slow") else {
            Issue.record("released id not claimable")
            return
        }
    }

    @Test func recordsExpireAfterTheTTL() throws {
        let clock = TestClock()
        let app = try TestApp.make {
            $0.clock = clock.function
            $0.idempotencyTTLSeconds = 60
        }
        let first = post(app, id: "short-lived")
        clock.advance(59)
        #expect(post(app, id: "short-lived").response.body == first.response.body)
        clock.advance(2)
        let later = post(app, id: "short-lived")
        #expect(later.status == 202)
        #expect(later.json.value(atPath: "data/extId") != first.json.value(atPath: "data/extId"))
    }

    @Test func theRecordCommitsWithTheEffect() throws {
        let app = try TestApp.make()
        let r = post(app, id: "same-tx")
        let taskId = try #require(r.json.value(atPath: "data/extId")?.stringValue)
        let (record, task) = try app.store.read { view in
            (try view.idempotencyRecord(requestId: "same-tx"), try view.task(extId: taskId))
        }
        #expect(record?.body == r.response.body)
        #expect(task != nil)
    }

    @Test func repliesSurviveARestartWithAFileDatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pcmock-idem-\(UUID()).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        var first: Reply?
        do {
            let app = try TestApp.make { $0.database = path }
            first = post(app, id: "durable")
        }
        let app = try TestApp.make { $0.database = path }
        let again = post(app, id: "durable")
        #expect(first?.status == 202)
        #expect(again.response.body == first?.response.body)
        #expect(again.response.headers == first?.response.headers)
    }
}
