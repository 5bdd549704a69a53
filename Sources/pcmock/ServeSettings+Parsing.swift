/// `serve`'s options read directly from the command line, without swift-argument-parser: its
/// reflection over `Serve` (Mirror, protocol-conformance scans, the completion-script check)
/// cost ~10 M instructions, half the main thread's way to the ready line. Only a clean command
/// line is read here; anything else (help, an unknown or repeated option, a value that does not
/// convert, a value that starts with `-`) answers nil, and the caller lets swift-argument-parser
/// read it, for its exact messages. A test holds this table to `Serve`'s declared options.
extension ServeSettings {
    /// How an option's value is stored; a flag takes none.
    enum Setter: Sendable {
        case flag(@Sendable (inout ServeSettings) -> Void)
        case value(@Sendable (inout ServeSettings, String) -> Bool)
    }

    /// Every option of `serve`, by its long name without the dashes. (An array: a dictionary
    /// cost more to build, once, than the few look-ups of a command line.)
    static let setters: KeyValuePairs<String, Setter> = [
        "host": .value { $0.host = $1; return true },
        "port": .value { settings, value in store(Int(value), in: &settings.port) },
        "db": .value { $0.db = $1; return true },
        "fixtures": .value { $0.fixtures = $1; return true },
        "username": .value { $0.username = $1; return true },
        "password": .value { $0.password = $1; return true },
        "task-mode": .value { $0.taskMode = $1; return true },
        "task-delay-ms": .value { settings, value in store(Int(value), in: &settings.taskDelayMs) },
        "rate-limit": .value { settings, value in store(Double(value), in: &settings.rateLimit) },
        "rate-burst": .value { settings, value in store(Int(value), in: &settings.rateBurst) },
        "log-level": .value { $0.logLevel = $1; return true },
        "no-auth": .flag { $0.noAuth = true },
        "session-cookies": .flag { $0.sessionCookies = true },
        "lenient-request-id": .flag { $0.lenientRequestId = true },
        "lenient-if-match": .flag { $0.lenientIfMatch = true },
        "idempotency-ttl-seconds": .value { settings, value in store(Int(value), in: &settings.idempotencyTtlSeconds) },
        "self-check": .flag { $0.selfCheck = true },
        "strict": .flag { $0.strict = true },
        "tls": .flag { $0.tls.tls = true },
        "tls-port": .value { settings, value in store(Int(value), in: &settings.tls.tlsPort) },
        "tls-cert": .value { $0.tls.tlsCert = $1; return true },
        "tls-key": .value { $0.tls.tlsKey = $1; return true },
        "tls-cert-out": .value { $0.tls.tlsCertOut = $1; return true },
    ]

    /// The settings of a clean, valid `serve` command line (the arguments after `serve`), or
    /// nil when swift-argument-parser should read it.
    static func parse(_ arguments: [String]) -> ServeSettings? {
        var settings = ServeSettings()
        var seen: Set<Substring> = []
        var position = arguments.startIndex
        while position < arguments.endIndex {
            let argument = arguments[position]
            position += 1
            guard argument.utf8.count > 2, argument.hasPrefix("--") else { return nil }
            let body = argument.dropFirst(2)
            let name: Substring
            var value: String?
            if let equals = body.firstIndex(of: "=") {
                name = body[..<equals]
                value = String(body[body.index(after: equals)...])
            } else {
                name = body
            }
            guard seen.insert(name).inserted, let setter = setters.first(where: { $0.key == name })?.value else {
                return nil
            }
            switch setter {
            case .flag(let set):
                guard value == nil else { return nil }
                set(&settings)
            case .value(let set):
                if value == nil, position < arguments.endIndex {
                    value = arguments[position]
                    position += 1
                }
                guard let value, !value.hasPrefix("-"), set(&settings, value) else { return nil }
            }
        }
        do {
            try settings.validate()
        } catch {
            return nil
        }
        return settings
    }

    private static func store<Value>(_ converted: Value?, in field: inout Value) -> Bool {
        guard let converted else { return false }
        field = converted
        return true
    }

    private static func store<Value>(_ converted: Value?, in field: inout Value?) -> Bool {
        guard let converted else { return false }
        field = converted
        return true
    }
}
