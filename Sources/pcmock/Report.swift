import ArgumentParser
import FoundationEssentials
import Glibc
import OData

/// `pcmock report`: fetches `GET /_pcmock/contract-report` from a running pcmock and prints it.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: the default name is derived from the type name by reflection on every parse.
        commandName: "report",
        abstract: "Print the contract report of a running pcmock: operations exercised, violations, unused entities.",
        discussion: """
            Exit status: 0 when no contract violation was recorded, 1 when at least one was (so a CI step \
            fails), 2 when the report could not be fetched. The status is the same for every --format.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, junit
    }

    @Option(help: "Where pcmock listens (http only).")
    var url = "http://127.0.0.1:9440"

    @Option(help: "User name for HTTP Basic authentication.")
    var username = "admin"

    @Option(help: "Password for HTTP Basic authentication.")
    var password = "Nutanix/4u"

    @Option(help: "table (for a terminal), json (the report as served) or junit (JUnit XML for CI).")
    var format = Format.table

    static let violationsExit: Int32 = 1
    static let fetchFailedExit: Int32 = 2

    func validate() throws {
        _ = try ReportURL(url)
    }

    func run() throws {
        let target = try ReportURL(url)
        let client = ReportClient(host: target.host, port: target.port)
        let credentials = Data((username + ":" + password).utf8).base64EncodedString()
        let query = format == .junit ? "?format=junit" : ""
        let response: ReportClient.Response
        do {
            response = try client.get(
                target.basePath + "/_pcmock/contract-report" + query,
                headers: [("Authorization", "Basic " + credentials), ("Accept", "application/json, application/xml")])
        } catch {
            throw Report.fail("\(error) (is pcmock running at \(url)?)")
        }
        guard response.status == 200 else {
            let body = String(decoding: response.body.prefix(500), as: UTF8.self)
            throw Report.fail("GET /_pcmock/contract-report answered \(response.status): \(body)")
        }
        guard let violations = response.header("X-Pcmock-Violations").flatMap({ Int($0) }) else {
            throw Report.fail("the answer has no X-Pcmock-Violations header; is \(url) a pcmock?")
        }
        switch format {
        case .json, .junit:
            Report.write(response.body, to: STDOUT_FILENO)
        case .table:
            let report: JSON
            do {
                report = try JSON.parse(response.body)
            } catch {
                throw Report.fail("the report is not JSON: \(error)")
            }
            Report.write(Array(ReportTable(report).text.utf8), to: STDOUT_FILENO)
        }
        if violations > 0 { throw ExitCode(Report.violationsExit) }
    }

    static func write(_ bytes: [UInt8], to fd: Int32) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + sent }, $0.count - sent) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            sent += n
        }
    }

    static func fail(_ message: String) -> ExitCode {
        write(Array(("pcmock report: " + message + "\n").utf8), to: STDERR_FILENO)
        return ExitCode(fetchFailedExit)
    }
}

/// `http://HOST[:PORT][/prefix]`; IPv6 hosts in brackets (RFC 3986 §3.2.2).
struct ReportURL {
    var host: String
    var port: Int
    /// A path prefix when pcmock sits behind a proxy under one, without the trailing `/`.
    var basePath: String

    init(_ text: String) throws {
        guard text.hasPrefix("http://") else {
            if text.hasPrefix("https://") {
                throw ValidationError(
                    "--url: pcmock report speaks plain http; use pcmock's http listener "
                        + "(--tls-port serves https beside it).")
            }
            throw ValidationError("--url must look like http://HOST:PORT, got '\(text)'.")
        }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        var hostPart = Substring(authority)
        var portPart: Substring? = nil
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw ValidationError("--url: unclosed '[' in '\(text)'.")
            }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") {
                portPart = after.dropFirst()
            } else if !after.isEmpty {
                throw ValidationError("--url: unexpected '\(after)' after the IPv6 address.")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw ValidationError("--url has no host: '\(text)'.") }
        host = String(hostPart)
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else {
                throw ValidationError("--url: the port must be 1 to 65535, got '\(portPart)'.")
            }
            port = p
        } else {
            port = 80
        }
    }
}
