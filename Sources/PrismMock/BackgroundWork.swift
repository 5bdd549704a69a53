import Dispatch
import Synchronization

/// Work started on another thread now and waited for later: `serve` loads the catalog while
/// it parses its command line, opens the store and reads the fixture files.
public final class BackgroundWork<Value: Sendable>: Sendable {
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    /// Waits for the work, then returns its value or rethrows its error. Called once.
    public func value() throws -> Value {
        finished.wait()
        finished.signal()  // a second caller does not wait forever
        guard let result = outcome.withLock({ $0 }) else { fatalError("signalled before the result was stored") }
        return try result.get()
    }
}
