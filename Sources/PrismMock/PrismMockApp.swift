import EntityStore
import FoundationEssentials
import HTTPServer
import OData
import PrismAPI

/// Options the application takes from the CLI. Fields whose feature has not landed yet are
/// accepted and kept so that later layers read them from one place.
public struct PrismMockOptions: Sendable {
    public enum TaskMode: String, Sendable, CaseIterable {
        case timed, immediate, manual
    }
    public var database = ":memory:"
    /// A fixtures directory; nil starts empty (`--fixtures none`).
    public var fixturesDirectory: URL? = nil
    public var catalogDirectory: URL? = nil
    /// An already loaded catalog (tests share one instead of loading it per app).
    public var catalog: Catalog? = nil
    /// A catalog load already under way (`pcmock serve` starts it before parsing its options).
    public var catalogLoad: BackgroundWork<Catalog>? = nil
    public var username = "admin"
    public var password = "Nutanix/4u"
    public var taskMode = TaskMode.timed
    public var taskDelayMilliseconds = 250
    public var rateLimit: Double? = nil
    public var rateBurst: Int? = nil
    public var clock: @Sendable () -> Date = { Date() }
    /// `--no-auth`: every request is the configured user, no credentials asked.
    public var authEnabled = true
    /// `--session-cookies`: hand out and accept `NTNX_IGW_SESSION` (off: never a Set-Cookie).
    public var sessionCookies = false
    /// `--lenient-request-id`: POST/PUT/DELETE without `NTNX-Request-Id` are accepted (no replay).
    public var lenientRequestId = false
    /// `--lenient-if-match`: changing an existing entity without `If-Match` is accepted.
    public var lenientIfMatch = false
    /// `--idempotency-ttl-seconds`: how long a stored answer is replayed for a request id.
    public var idempotencyTTLSeconds = 86_400
    /// How long a request waits for another one with the same request id to finish.
    public var idempotencyWaitMilliseconds = 5_000
    /// `--self-check`: validate every operation's answer against its response model (500 if not).
    public var selfCheck = false
    /// `--strict`: contract violations are rejected instead of only recorded (issue 9 point 4).
    public var strict = false
    public init() {}
}

public struct StartupError: Error, CustomStringConvertible {
    public var description: String
}

/// The application: turns an HTTP request into a response. Passed explicitly (no globals) so
/// two servers can live in one test process.
public final class PrismMockApp: Sendable {
    public let options: PrismMockOptions
    let contract: Contract
    let store: EntityStore
    let engine: GenericEngine
    let fixtures: Fixtures
    let config: RuntimeConfig
    /// Services with real behaviour, asked in order before the generic engine.
    let services: [any Service]
    let chain: MiddlewareChain
    let environment: AppEnvironment
    let journal: RequestJournal
    let faults = FaultRules()
    let router = InProcessRouter()
    /// The chain batch items run through: the client's chain without the journal and the rate
    /// limit, which count the batch request itself, not its items.
    let itemChain: MiddlewareChain
    let selfCheck: SelfCheck?
    let contractReport: ContractReport

    public init(options: PrismMockOptions) throws {
        self.options = options
        // The store and the fixture files do not need the catalog: this thread opens and reads
        // them while a prefetched catalog loads on another (`serve` runs on two cores; reading
        // the files on a third thread queued it behind the catalog).
        let location: StoreConfiguration.Location = options.database == ":memory:" ? .memory : .file(options.database)
        store = try EntityStore(
            StoreConfiguration(
                location: location, clock: options.clock, valuePaths: ValuePaths.declared,
                taskValuePaths: ValuePaths.tasks))
        let fixtureFiles = options.fixturesDirectory.map { dir in Result { try FixtureFiles.read(directory: dir) } }
        contract = Contract(
            catalog: try options.catalog ?? options.catalogLoad?.value() ?? PrismMockApp.loadCatalog(options.catalogDirectory))
        if let dir = options.fixturesDirectory, let fixtureFiles {
            do {
                fixtures = try Fixtures(files: fixtureFiles.get(), contract: contract)
            } catch {
                throw StartupError(description: "cannot load fixtures from \(dir.path): \(error)")
            }
        } else {
            fixtures = .empty
        }
        var settings = RuntimeSettings()
        if let rps = options.rateLimit {
            settings.rateLimit = .init(requestsPerSecond: rps, burst: options.rateBurst ?? max(1, Int(rps.rounded(.up))))
        }
        settings.taskMode = RuntimeSettings.TaskMode(rawValue: options.taskMode.rawValue) ?? .timed
        settings.taskDelayMilliseconds = options.taskDelayMilliseconds
        settings.strict = options.strict
        config = RuntimeConfig(settings)
        let scheduler = TaskScheduler(store: store, config: config, clock: options.clock)
        engine = GenericEngine(
            contract: contract, store: store, tasks: TaskLedger(config: config, scheduler: scheduler), clock: options.clock)
        if options.selfCheck {
            // Checking answers needs every model; a document whose models do not decode fails
            // start-up here rather than a request later.
            do {
                try contract.catalog.loadAllModels()
            } catch {
                throw StartupError(description: "cannot load the catalog's models: \(error)")
            }
            selfCheck = SelfCheck(catalog: contract.catalog)
        } else {
            selfCheck = nil
        }
        environment = AppEnvironment(
            contract: contract, store: store, engine: engine, config: config, clock: options.clock)
        journal = RequestJournal(store: store)
        contractReport = ContractReport(clock: options.clock)
        let middlewares: [any Middleware] = [
            JournalMiddleware(journal: journal),
            ContractRecorder(report: contractReport),
            RateLimiter(config: config, clock: options.clock, buckets: TokenBuckets()),
            ErrorMapping(),
            FaultInjection(rules: faults),
            Authentication(
                settings: .init(
                    enabled: options.authEnabled, username: options.username, password: options.password,
                    sessionCookies: options.sessionCookies),
                credentials: Credentials(store: store, clock: options.clock), sessions: SessionStore()),
            ContractChecks(contract: contract, config: config, store: store, report: contractReport),
            Idempotency(
                settings: .init(
                    lenient: options.lenientRequestId, ttlSeconds: options.idempotencyTTLSeconds,
                    waitMilliseconds: options.idempotencyWaitMilliseconds),
                store: store, clock: options.clock, inFlight: InFlightRequests(), state: IdempotencyState()),
            Preconditions(lenient: options.lenientIfMatch, store: store),
        ]
        chain = MiddlewareChain(middlewares: middlewares)
        itemChain = MiddlewareChain(middlewares: middlewares.filter { !($0 is JournalMiddleware || $0 is RateLimiter) })
        services = [
            TaskService(env: environment, batches: BatchExecutor(env: environment, router: router)),
            IAMCredentialService(env: environment),
            CategoryService(env: environment), ImageService(env: environment), NetworkingService(env: environment),
            VolumeGroupService(env: environment), IAMAuthzService(env: environment),
            VmService(env: environment),
        ]
        // A file database that already holds state keeps it; a new one is seeded.
        if try location == .memory || store.entityCount() == 0 {
            try reset()
        }
        router.attach { [weak self] request, connection in
            guard let self else { return V4Error(503, "prism", "SHUTTING_DOWN", "pcmock is stopping").response() }
            return self.handle(request, connection, through: self.itemChain)
        }
        scheduler.start()
    }

    public static func loadCatalog(_ directory: URL?) throws -> Catalog {
        guard let dir = directory ?? ResourceLocator.directory(named: "openapi") else {
            throw StartupError(description: "cannot find the openapi/ catalog directory (set PCMOCK_HOME)")
        }
        do {
            return try Catalog.load(from: dir)
        } catch {
            throw StartupError(description: "cannot load the catalog from \(dir.path): \(error)")
        }
    }

    /// Before the process exits: the buffered journal is written and the store closed (a
    /// `:memory:` store's temporary files deleted). The app serves nothing afterwards.
    public func close() {
        try? journal.flush()
        store.close()
    }

    /// Back to the loaded fixtures (or empty).
    public func reset() throws {
        let rows = fixtures.entities
        // The reset empties the journal of every earlier request, pending ones included.
        journal.discardPending()
        try store.reset { tx in try tx.insert(contentsOf: rows) }
    }

    public func handle(_ request: HTTPRequest, _ connection: ConnectionInfo) -> HTTPResponse {
        handle(request, connection, through: chain)
    }

    func handle(_ request: HTTPRequest, _ connection: ConnectionInfo, through chain: MiddlewareChain) -> HTTPResponse {
        var exchange = Exchange(request: request, connection: connection, receivedAt: options.clock())
        exchange.route = contract.route(request)
        do {
            return try chain.run(&exchange) { (x: inout Exchange) throws -> HTTPResponse in try self.route(x) }
        } catch let error as V4Error {
            return error.response()
        } catch {
            let ns = V4Error.namespace(ofPath: request.path)
            return V4Error.internalError(ns, requestId: exchange.requestId, "\(error)").response()
        }
    }

    /// The end of the chain: admin API, version negotiation, or a catalog operation.
    private func route(_ exchange: Exchange) throws -> HTTPResponse {
        let request = exchange.request
        let connection = exchange.connection
        let path = request.path
        if path.hasBytePrefix("/_pcmock/") {
            return try AdminAPI(app: self, env: environment).handle(request)
        }
        if let route = exchange.route {
            var ctx = RequestContext(request: request, connection: connection, route: route)
            if let principal = exchange.principal { ctx.user = principal }
            ctx.commitHooks = exchange.commitHooks
            ctx.taskFault = exchange.taskFault
            return try dispatch(&ctx)
        }
        // Not an operation: negotiation, or the precise 400/404/405.
        guard let target = RequestTarget(path: path, query: request.query) else {
            throw V4Error.badRequest(V4Error.namespace(ofPath: path), "malformed percent-encoding in the request target")
        }
        let segs = target.segments
        if segs.count == 4, segs[0] == "api", segs[2] == "unversioned", segs[3] == "info" {
            return try versionInfo(namespace: segs[1], method: request.method, path: path)
        }
        switch contract.match(method: request.method, segments: segs) {
        case .notFound:
            throw V4Error.notFound(path: path)
        case .methodNotAllowed(let allow):
            throw V4Error.methodNotAllowed(path: path, allow: allow)
        case .found:
            // `contract.route` resolved every operation before the chain ran.
            throw V4Error.internalError(V4Error.namespace(ofPath: path), requestId: exchange.requestId, "unrouted operation")
        }
    }

    private func dispatch(_ ctx: inout RequestContext) throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try serve(&ctx)
        } catch var error as V4Error {
            // An error a handler raises answers in the operation's own envelope (sdk-contract.md
            // §e), so no handler has to say so.
            if error.envelopeObjectType == nil { error.envelopeObjectType = ctx.operation.responseModel }
            guard selfCheck != nil else { throw error }
            response = error.response()
        }
        guard let selfCheck else { return response }
        return selfCheck.check(response, method: ctx.request.method, operation: ctx.operation)
    }

    private func serve(_ ctx: inout RequestContext) throws -> HTTPResponse {
        for service in services {
            if let response = try service.handle(&ctx) { return response }
        }
        return try engine.handle(&ctx)
    }

    /// `OPTIONS /api/<ns>/unversioned/info` → `{"data":"v4.<n>"}`, the SDKs' version negotiation
    /// (sdk-contract.md §a).
    private func versionInfo(namespace: String, method: String, path: Substring) throws -> HTTPResponse {
        guard let ns = contract.catalog.namespaces[namespace] else { throw V4Error.notFound(path: path) }
        guard method == "OPTIONS" || method == "GET" || method == "HEAD" else {
            throw V4Error.methodNotAllowed(path: path, allow: ["GET", "HEAD", "OPTIONS"])
        }
        return .json(200, #"{"data":"# + JSON.quoted(ns.apiVersion) + "}")
    }

    /// What the HTTP layer answers for framing errors, in the same v4 error shape.
    public static func transportError(status: Int, message: String) -> HTTPResponse {
        V4Error.transport(status: status, message: message).response()
    }
}
