import FoundationEssentials
import HTTPServer
import Synchronization

@testable import PrismMock

/// A clock tests move by hand: nothing in the request semantics waits on real time.
final class TestClock: Sendable {
    private let now: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) { now = Mutex(start) }
    func read() -> Date { now.withLock { $0 } }
    func advance(_ seconds: Double) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { [self] in read() } }
}

extension PrismMockApp {
    /// A request with exactly these headers (no credentials or request id added).
    func raw(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: String = "",
        from address: String = "127.0.0.1"
    ) -> Reply {
        var h = HTTPHeaders()
        h.add("Host", "127.0.0.1:9440")
        for (k, v) in headers { h.add(k, v) }
        let request = HTTPRequest(method: method, target: target, headers: h, body: Array(body.utf8))
        return Reply(
            response: handle(request, ConnectionInfo(remoteAddress: address, remotePort: 50000, localPort: 9440)))
    }
}

enum Semantics {
    static let apiKey = "pcmock-svc-automation-3f9c2a7e5b1d4086a2c4e6f8b0d2f4a6"
    static let svcUser = "5c7cae61-60be-5c13-93ff-683e0e2ad416"
    static let vmsPath = "/api/vmm/v4.3/ahv/config/vms"
    static let categoriesPath = "/api/prism/v4.4/config/categories"
    static let usersPath = "/api/iam/v4.0/authn/users"

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
    }

    static var clusterA: String {
        FixtureData.items("clustermgmt.config.clusters.json")
            .first { $0["name"] == .string("ahv-cluster-a") }?["extId"]?.stringValue ?? ""
    }

    static var vmBody: String {
        #"{"name":"semantics-vm","numSockets":1,"memorySizeBytes":1073741824,"cluster":{"extId":"\#(clusterA)"}}"#
    }

    static var firstCategory: String {
        FixtureData.items("prism.config.categories.json").first?["extId"]?.stringValue ?? ""
    }
}
