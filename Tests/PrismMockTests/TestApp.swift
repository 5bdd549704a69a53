import FoundationEssentials
import HTTPServer
import OData
import PrismAPI
@testable import PrismMock

/// One catalog for the whole test process (it is immutable); every test gets its own app and
/// store, seeded with the repository's fixtures unless it asks for none.
enum TestApp {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let catalog: Catalog = {
        do {
            return try Catalog.load(from: repoRoot.appendingPathComponent("openapi"))
        } catch {
            fatalError("tests need the repository's openapi/: \(error)")
        }
    }()

    static func make(fixtures: Bool = true, configure: (inout PrismMockOptions) -> Void = { _ in }) throws -> PrismMockApp {
        var options = PrismMockOptions()
        options.catalog = catalog
        options.fixturesDirectory = fixtures ? repoRoot.appendingPathComponent("fixtures") : nil
        // Tasks finish before the 202, so a test reads the outcome at once (TaskEngineTests cover the other modes).
        options.taskMode = .immediate
        configure(&options)
        return try PrismMockApp(options: options)
    }

    static let basicAdmin = "Basic " + Base64.encode(Array("admin:Nutanix/4u".utf8))
}

struct Reply {
    let response: HTTPResponse
    var status: Int { response.status }
    var text: String { String(decoding: response.body, as: UTF8.self) }
    var json: JSON { (try? JSON.parse(response.body)) ?? .null }
    func header(_ name: String) -> String? { response.headers[name] }
}

extension PrismMockApp {
    /// A request as the SDKs send it: Basic auth, a fresh NTNX-Request-Id, JSON content type.
    func call(
        _ method: String, _ target: String, body: String? = nil, headers: [(String, String)] = []
    ) -> Reply {
        var h = HTTPHeaders()
        h.add("Host", "127.0.0.1:9440")
        h.add("Authorization", TestApp.basicAdmin)
        h.add("NTNX-Request-Id", UUID().uuidString.lowercased())
        h.add("Content-Type", "application/json")
        for (k, v) in headers { h.set(k, v) }
        let request = HTTPRequest(method: method, target: target, headers: h, body: Array((body ?? "").utf8))
        return Reply(response: handle(request, ConnectionInfo(remoteAddress: "127.0.0.1", remotePort: 50000, localPort: 9440)))
    }
}

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Expected values read from the fixture files themselves, never from pcmock's answers.
enum FixtureData {
    static func items(_ file: String) -> [JSON] {
        let url = TestApp.repoRoot.appendingPathComponent("fixtures").appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url), let root = try? JSON.parse(Array(data)) else { return [] }
        return root["items"]?.arrayValue ?? []
    }
}
