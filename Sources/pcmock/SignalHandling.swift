import Glibc
import HTTPServer

/// SIGINT/SIGTERM drain the servers, then exit 0 (DESIGN.md operator interface).
///
/// The signals are blocked from the start and taken with `sigwait` on the main thread, so one
/// that arrives the instant after the ready line is pending, never lost. (A Dispatch signal
/// source registers asynchronously: with the default action set to ignore, a SIGTERM sent
/// right after start-up was dropped and the process never exited.)
enum SignalHandling {
    private static func terminationSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    /// Call first, before any thread exists: threads inherit the calling thread's mask.
    static func blockTerminationSignals() {
        var set = terminationSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks the calling thread until SIGINT or SIGTERM, drains the servers, runs `cleanup`
    /// and exits 0.
    static func waitForTermination(_ servers: [HTTPServer], cleanup: () -> Void) -> Never {
        var set = terminationSet()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        for server in servers { server.shutdown(gracePeriod: .seconds(5)) }
        cleanup()
        exit(0)
    }
}
