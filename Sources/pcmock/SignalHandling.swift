import Dispatch
import FoundationEssentials
import Glibc
import HTTPServer

/// SIGINT/SIGTERM drain the server, then exit 0 (DESIGN.md operator interface).
enum SignalHandling {
    // Written once on the main thread at start-up, before any signal can arrive; only kept alive here.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func stopOnTermination(_ servers: [HTTPServer]) {
        for sig in [SIGINT, SIGTERM] {
            // Dispatch only sees the signal once its default action is ignored.
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler {
                DispatchQueue.global().async {
                    for server in servers { server.shutdown(gracePeriod: .seconds(5)) }
                    exit(0)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
