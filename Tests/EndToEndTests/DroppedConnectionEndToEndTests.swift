import HTTPServer
import OData
import PrismMock
import TestSupport
import Testing

/// A `dropConnection` fault rule over a real socket: the client gets no status line, the
/// request does not run, the journal records status 0, and other requests are served.
struct DroppedConnectionEndToEndTests {
    typealias E2E = RequestSemanticsEndToEndTests
    static let rule =
        #"{"method":"POST","pathPattern":"/api/vmm/*/ahv/config/vms","dropConnection":true,"times":1}"#

    @Test func aDropRuleClosesTheConnectionWithoutAnAnswer() throws {
        let pc = try E2E.Running()
        let added = try pc.send("POST", "/_pcmock/faults", headers: E2E.auth, body: Self.rule)
        #expect(added.status == 201)
        #expect(try JSON.parse(added.body)["dropConnection"] == .bool(true))

        let client = try TestClient.connect(host: "127.0.0.1", port: pc.server.localPort)
        let body = E2E.vmBody
        try client.send(
            "POST \(E2E.vms) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\(E2E.auth)"
                + "NTNX-Request-Id: e2e-dropped\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(try client.readUntilClose().isEmpty)

        // Nothing was created, the rule is used up, and the server still answers.
        let list = try pc.send("GET", E2E.vms + "?%24filter=name+eq+%27e2e-vm%27", headers: E2E.auth)
        #expect(list.status == 200)
        #expect(list.bodyText.contains(#""totalAvailableResults":0"#))
        let retry = try pc.send(
            "POST", E2E.vms, headers: E2E.auth + "NTNX-Request-Id: e2e-retried\r\n", body: body)
        #expect(retry.status == 202)
        let journal = try pc.send("GET", "/_pcmock/requests?limit=4", headers: E2E.auth)
        let entries = try JSON.parse(journal.body)["data"]?.arrayValue ?? []
        let dropped = entries.first { $0["requestId"]?.stringValue == "e2e-dropped" }
        #expect(dropped?["status"] == .int(0))
    }

    @Test func dropCannotBeCombinedWithAStatus() throws {
        let pc = try E2E.Running()
        let r = try pc.send(
            "POST", "/_pcmock/faults", headers: E2E.auth,
            body: #"{"pathPattern":"/api/vmm/*/ahv/config/vms","dropConnection":true,"status":503}"#)
        #expect(r.status == 400)
        #expect(r.bodyText.contains("dropConnection"))
        let notBool = try pc.send(
            "POST", "/_pcmock/faults", headers: E2E.auth,
            body: #"{"pathPattern":"/api/vmm/*/ahv/config/vms","dropConnection":"yes"}"#)
        #expect(notBool.status == 400)
        #expect(try pc.send("GET", "/_pcmock/faults", headers: E2E.auth).bodyText == #"{"data":[]}"#)
    }
}
