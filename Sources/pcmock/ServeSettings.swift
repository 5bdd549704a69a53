import ArgumentParser
import FoundationEssentials
import PrismMock

/// Everything `pcmock serve` is told on its command line, as plain values: the defaults live
/// here once, `Serve` (swift-argument-parser, for help and errors) and `ServeSettings.parse`
/// (the direct way to the ready line) both produce it, and the server starts from it.
struct ServeSettings: Equatable {
    var host = "127.0.0.1"
    var port = 9440
    var db = ":memory:"
    var fixtures: String? = nil
    var username = "admin"
    var password = "Nutanix/4u"
    var taskMode = "timed"
    var taskDelayMs = 250
    var rateLimit: Double? = nil
    var rateBurst: Int? = nil
    var logLevel = "info"
    var noAuth = false
    var sessionCookies = false
    var lenientRequestId = false
    var lenientIfMatch = false
    var idempotencyTtlSeconds = 86_400
    var selfCheck = false
    var strict = false
    var tls = TLSSettings()

    /// The https part (`TLSOptions` on the command line).
    struct TLSSettings: Equatable {
        var tls = false
        var tlsPort: Int? = nil
        var tlsCert: String? = nil
        var tlsKey: String? = nil
        var tlsCertOut: String? = nil

        var isEnabled: Bool { tls || tlsPort != nil }
    }

    static let logLevels = ["trace", "debug", "info", "warning", "error"]

    /// The rules no option's type expresses; the messages are what `pcmock serve` prints.
    func validate() throws(ValidationError) {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, got \(port).")
        }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty.") }
        guard PrismMockOptions.TaskMode(rawValue: taskMode) != nil else {
            throw ValidationError("--task-mode must be timed, immediate or manual, got '\(taskMode)'.")
        }
        guard taskDelayMs >= 0 else { throw ValidationError("--task-delay-ms must be 0 or more.") }
        if let rateLimit, !(rateLimit > 0 && rateLimit.isFinite) {
            throw ValidationError("--rate-limit must be a positive number of requests per second.")
        }
        if let rateBurst {
            guard rateBurst >= 1 else { throw ValidationError("--rate-burst must be at least 1.") }
            guard rateLimit != nil else { throw ValidationError("--rate-burst needs --rate-limit.") }
        }
        guard Self.logLevels.contains(logLevel) else {
            throw ValidationError("--log-level must be trace, debug, info, warning or error.")
        }
        guard !username.isEmpty else { throw ValidationError("--username must not be empty.") }
        guard idempotencyTtlSeconds >= 1 else { throw ValidationError("--idempotency-ttl-seconds must be at least 1.") }
        if db != ":memory:" {
            let parent = URL(fileURLWithPath: db).deletingLastPathComponent().path
            guard ResourceLocator.isDirectory(parent) else {
                throw ValidationError("--db: directory \(parent) does not exist.")
            }
        }
        if let fixtures, fixtures != "none" {
            guard ResourceLocator.isDirectory(fixtures) else {
                throw ValidationError("--fixtures: \(fixtures) is not a directory (or use `none`).")
            }
        }
        try tls.validate()
    }
}

extension ServeSettings.TLSSettings {
    func validate() throws(ValidationError) {
        if tls && tlsPort != nil {
            throw ValidationError("--tls serves https on --port; --tls-port adds https beside http. Use one of them.")
        }
        if let tlsPort, !(0...65535).contains(tlsPort) {
            throw ValidationError("--tls-port must be between 0 and 65535, got \(tlsPort).")
        }
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together: give both or neither.")
        }
        if !isEnabled && (tlsCert != nil || tlsCertOut != nil) {
            throw ValidationError("--tls-cert, --tls-key and --tls-cert-out need --tls or --tls-port.")
        }
    }
}
