import Foundation
import Testing

@testable import pcmock

/// `ServeSettings.parse` (the direct way to the ready line) must read every command line it
/// accepts exactly as swift-argument-parser reads it through `Serve`, and hand everything else
/// to swift-argument-parser.
struct ServeSettingsParsingTests {
    static let directory = FileManager.default.temporaryDirectory.path

    /// Command lines that exercise every option, in both spellings (`--name value`, `--name=value`).
    static let accepted: [[String]] = [
        [],
        ["--port", "0"],
        ["--port=0", "--host", "::1"],
        ["--host=0.0.0.0", "--port", "65535", "--db", "\(directory)/pcmock-test.db", "--fixtures", "none"],
        ["--fixtures", directory, "--username", "ops", "--password", "p=w:x"],
        ["--password=a=b", "--task-mode", "manual", "--task-delay-ms", "0", "--log-level", "debug"],
        ["--task-mode=immediate", "--task-delay-ms=1000", "--rate-limit", "2.5", "--rate-burst", "3"],
        ["--rate-limit=100", "--log-level=error", "--idempotency-ttl-seconds", "60"],
        ["--no-auth", "--session-cookies", "--lenient-request-id", "--lenient-if-match", "--self-check", "--strict"],
        ["--tls", "--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-cert-out", "/out.pem"],
        ["--tls-port", "0", "--tls-cert-out=/out.pem", "--idempotency-ttl-seconds=1"],
        ["--tls-port=8443", "--tls-cert=/c.pem", "--tls-key=/k.pem"],
    ]

    @Test(arguments: accepted)
    func readsACleanCommandLineAsSwiftArgumentParserDoes(arguments: [String]) throws {
        let direct = try #require(ServeSettings.parse(arguments))
        let canonical = try Serve.parse(arguments).settings
        #expect(direct == canonical)
        #expect(direct != ServeSettings() || arguments.isEmpty || arguments == ["--port", "9440"])
    }

    /// Help, unknown, repeated or malformed options, and values the validation refuses, all go
    /// to swift-argument-parser (whose message and exit code the user then sees).
    @Test(arguments: [
        ["--help"], ["-h"], ["help"], ["--version"], ["--unknown"], ["-p", "0"], ["--"], ["--port"],
        ["--port", "x"], ["--port", "--strict"], ["--port", "-1"], ["--port", "1", "--port", "2"],
        ["--strict", "--strict"], ["--strict=true"], ["--port", "70000"], ["--task-mode", "fast"],
        ["--rate-burst", "5"], ["--rate-limit", "0"], ["--log-level", "loud"], ["--host="],
        ["--fixtures", "/nonexistent-dir"], ["--db", "/nonexistent-dir/x.db"], ["--tls", "--tls-port", "0"],
        ["--tls-cert", "/c.pem"], ["--tls-cert-out", "/out.pem"], ["--generate-completion-script", "bash"],
    ])
    func leavesEverythingElseToSwiftArgumentParser(arguments: [String]) {
        #expect(ServeSettings.parse(arguments) == nil)
    }

    /// The direct reader knows exactly the options `Serve` declares, each as a flag or as an
    /// option taking a value, so an option added to `Serve` cannot be forgotten here.
    @Test func knowsEveryOptionServeDeclares() throws {
        let dump = try #require(
            JSONSerialization.jsonObject(with: Data(Serve._dumpHelp().utf8)) as? [String: Any])
        let command = try #require(dump["command"] as? [String: Any])
        let declared = try #require(command["arguments"] as? [[String: Any]])
        var kinds: [String: String] = [:]
        for argument in declared {
            let names = (argument["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }
            for name in names.compactMap({ $0["name"] as? String }) where name != "help" {
                kinds[name] = argument["kind"] as? String
            }
        }
        #expect(kinds.count >= 20)
        var direct: [String: String] = [:]
        for (name, setter) in ServeSettings.setters {
            switch setter {
            case .flag: direct[name] = "flag"
            case .value: direct[name] = "option"
            }
        }
        #expect(direct == kinds)
        // Every option is exercised by `accepted`.
        let exercised = Set(Self.accepted.joined().filter { $0.hasPrefix("--") }.map {
            String($0.dropFirst(2).prefix { $0 != "=" })
        })
        #expect(exercised == Set(kinds.keys))
    }
}
