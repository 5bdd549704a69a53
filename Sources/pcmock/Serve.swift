import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc
import HTTPServer
import OData
import PrismMock

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: the default name is derived from the type name by reflection on every parse.
        commandName: "serve",
        abstract: "Start the mock Prism Central and serve until SIGINT or SIGTERM.",
        discussion: """
            When ready, prints exactly one line on stdout: `pcmock listening on http://HOST:PORT` \
            (the real port when --port 0; `https://` with --tls). With --tls-port, the https \
            listener is reported first, on stderr: `pcmock listening on https://HOST:PORT`. \
            SIGINT/SIGTERM stop accepting, finish in-flight requests and exit 0.
            """
    )

    @Option(help: "Address to listen on: an IPv4/IPv6 address or a host name (e.g. 127.0.0.1, ::1, 0.0.0.0).")
    var host = ServeSettings().host

    @Option(help: "TCP port; 0 picks a free port (the ready line reports it).")
    var port = ServeSettings().port

    @Option(help: "SQLite database: :memory: (default, gone at exit) or a file PATH that persists across restarts.")
    var db = ServeSettings().db

    @Option(help: "Seed data: a directory of fixture JSON files, or `none` to start empty. Default: the bundled fixtures.")
    var fixtures: String?

    @Option(help: "User name for HTTP Basic authentication.")
    var username = ServeSettings().username

    @Option(help: "Password for HTTP Basic authentication.")
    var password = ServeSettings().password

    @Option(help: "How async tasks progress: timed, immediate or manual (advance with POST /_pcmock/tasks/$actions/advance).")
    var taskMode = ServeSettings().taskMode

    @Option(help: "Total time a timed task takes from QUEUED to done, in milliseconds.")
    var taskDelayMs = ServeSettings().taskDelayMs

    @Option(help: "Rate limit per client in requests per second (off unless given).")
    var rateLimit: Double?

    @Option(help: "Burst size of the rate limit's token bucket (default: the rate, at least 1).")
    var rateBurst: Int?

    @Option(help: "Log level: trace, debug, info, warning, error.")
    var logLevel = ServeSettings().logLevel

    @Flag(help: "Accept every request without credentials, as the --username user (sandboxes only).")
    var noAuth = false

    @Flag(help: """
            Hand out an NTNX_IGW_SESSION cookie after a login and accept it instead of credentials \
            (off: pcmock never sends Set-Cookie, which would switch the SDKs to cookie-only auth).
            """)
    var sessionCookies = false

    @Flag(help: "Accept POST/PUT/DELETE without an NTNX-Request-Id header (such requests are not deduplicated).")
    var lenientRequestId = false

    @Flag(help: "Accept PUT/DELETE/$actions on an existing entity without If-Match (a stale If-Match is still a 412).")
    var lenientIfMatch = false

    @Option(help: """
            How long the answer to a POST/PUT/DELETE is replayed for a retry with the same NTNX-Request-Id, \
            in seconds.
            """)
    var idempotencyTtlSeconds = ServeSettings().idempotencyTtlSeconds

    @OptionGroup(title: "HTTPS")
    var https: TLSOptions

    @Flag(help: "Validate every answer against the operation's response model; a mismatch becomes a 500 naming it.")
    var selfCheck = false

    @Flag(help: """
            Reject requests that break the v4 contract (undeclared query options, fields outside the published \
            lists, unknown body members, missing NTNX-Request-Id or If-Match, reading an entity before its \
            creating task succeeded) with a 400/428 naming the rule. Without it they are only recorded in \
            GET /_pcmock/contract-report.
            """)
    var strict = false

    /// What the options say, for `launch`.
    var settings: ServeSettings {
        ServeSettings(
            host: host, port: port, db: db, fixtures: fixtures, username: username, password: password,
            taskMode: taskMode, taskDelayMs: taskDelayMs, rateLimit: rateLimit, rateBurst: rateBurst,
            logLevel: logLevel, noAuth: noAuth, sessionCookies: sessionCookies, lenientRequestId: lenientRequestId,
            lenientIfMatch: lenientIfMatch, idempotencyTtlSeconds: idempotencyTtlSeconds, selfCheck: selfCheck,
            strict: strict, tls: https.settings)
    }

    func validate() throws {
        try settings.validate()
    }

    func run() throws {
        try Self.launch(settings)
    }

    /// Starts the server(s), prints the ready line and serves until SIGINT/SIGTERM.
    static func launch(_ settings: ServeSettings) throws {
        SignalHandling.blockTerminationSignals()
        MallocTuning.configure()
        var options = PrismMockOptions()
        options.database = settings.db
        switch settings.fixtures {
        case "none": options.fixturesDirectory = nil
        case let dir?: options.fixturesDirectory = URL(fileURLWithPath: dir)
        case nil:
            guard let dir = ResourceLocator.directory(named: "fixtures") else {
                throw Serve.fail("cannot find the default fixtures/ (set PCMOCK_HOME, or --fixtures none)")
            }
            options.fixturesDirectory = dir
        }
        options.username = settings.username
        options.password = settings.password
        options.taskMode = PrismMockOptions.TaskMode(rawValue: settings.taskMode) ?? .timed
        options.taskDelayMilliseconds = settings.taskDelayMs
        options.rateLimit = settings.rateLimit
        options.rateBurst = settings.rateBurst
        options.authEnabled = !settings.noAuth
        options.sessionCookies = settings.sessionCookies
        options.lenientRequestId = settings.lenientRequestId
        options.lenientIfMatch = settings.lenientIfMatch
        options.idempotencyTTLSeconds = settings.idempotencyTtlSeconds
        options.selfCheck = settings.selfCheck
        options.strict = settings.strict
        let app: PrismMockApp
        do {
            options.catalogLoad = CatalogPrefetch.take()
            app = try PrismMockApp(options: options)
        } catch {
            throw Serve.fail("\(error)")
        }

        let tls: TLSConfiguration?
        do {
            tls = try settings.tls.makeConfiguration(host: settings.host)
        } catch {
            throw Serve.fail("\(error)")
        }
        var config = HTTPServerConfiguration()
        config.host = settings.host
        config.port = settings.port
        config.errorResponder = PrismMockApp.transportError
        if settings.tls.tls { config.tls = tls }
        let server = try Self.start(config, app)
        var servers = [server]
        if let tlsPort = settings.tls.tlsPort {
            var secure = config
            secure.port = tlsPort
            secure.tls = tls
            let secureServer = try Self.start(secure, app)
            servers.append(secureServer)
            // Before the stdout line, so that whoever waits for that line finds this one too.
            Self.write(Self.readyLine(secureServer, scheme: "https"), to: STDERR_FILENO)
        }
        Self.write(Self.readyLine(server, scheme: settings.tls.tls ? "https" : "http"), to: STDOUT_FILENO)
        MallocTuning.releaseFreeMemory()
        SignalHandling.waitForTermination(servers) { app.close() }
    }

    private static func start(_ config: HTTPServerConfiguration, _ app: PrismMockApp) throws -> HTTPServer {
        let server = HTTPServer(configuration: config, handler: app.handle)
        do {
            try server.start()
        } catch {
            throw Serve.fail("cannot listen on \(config.host):\(config.port): \(error)")
        }
        return server
    }

    private static func readyLine(_ server: HTTPServer, scheme: String) -> String {
        "pcmock listening on \(scheme)://\(urlHost(server.boundHost)):\(server.localPort)\n"
    }

    /// Unbuffered, so a parent process reading the pipe sees the line at once.
    private static func write(_ line: String, to fd: Int32) {
        line.utf8CString.withUnsafeBufferPointer { buf in
            _ = Glibc.write(fd, buf.baseAddress, buf.count - 1)
        }
    }

    /// Says why on stderr; the caller throws the result so the process exits 1.
    static func fail(_ message: String) -> ExitCode {
        let line = "pcmock: " + message + "\n"
        line.utf8CString.withUnsafeBufferPointer { buf in
            _ = Glibc.write(STDERR_FILENO, buf.baseAddress, buf.count - 1)
        }
        return ExitCode.failure
    }

    /// IPv6 literals go in brackets inside a URL (RFC 3986 §3.2.2).
    static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
