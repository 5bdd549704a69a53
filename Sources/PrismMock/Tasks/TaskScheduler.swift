import Dispatch
import EntityStore
import FoundationEssentials

/// Moves pending tasks forward: one Dispatch timer armed for the earliest due task
/// (`nextTaskDueDate`), never a timer or thread per task. Tests drive it with `tick(now:)` and
/// `advance(toCompletion:)` under an injected clock instead of waiting for the timer.
///
/// `@unchecked Sendable`: `timer` and `armedFor` are only touched on `queue` (and in `deinit`,
/// when nothing else holds the scheduler); the rest is immutable and Sendable.
final class TaskScheduler: @unchecked Sendable {
    private let store: EntityStore
    private let config: RuntimeConfig
    private let clock: @Sendable () -> Date
    private let queue = DispatchQueue(label: "pcmock.tasks.timer")
    private let timer: DispatchSourceTimer
    private var armedFor: Date? = nil
    /// Tasks stepped per store write, so a large backlog does not hold the writer for long.
    static let batchSize = 500

    init(store: EntityStore, config: RuntimeConfig, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.config = config
        self.clock = clock
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in self?.fire() }
        timer.schedule(deadline: .distantFuture)
        timer.resume()
    }

    deinit {
        timer.setEventHandler {}
        timer.cancel()
    }

    /// Resumes unfinished tasks of a database opened again (immediate mode drains them).
    func start() {
        wake()
    }

    /// Rearms the timer for the earliest due task; cheap when nothing changed.
    func wake() {
        queue.async { [weak self] in self?.rearm(force: false) }
    }

    /// Steps every task due at `now` (in immediate mode: every pending task, to completion), as
    /// the timer does when it fires. Manual mode moves nothing here. Returns the steps taken.
    @discardableResult
    func tick(now: Date) throws -> Int {
        let settings = config.current
        guard settings.taskMode != .manual else { return 0 }
        let runner = TaskRunner(settings)
        var steps = 0
        // Bounded: a task at a zero delay may come due again within the same tick.
        for _ in 0..<16 {
            let due = try store.write { tx -> Int in
                let page = try tx.listTasks(
                    whereSQL: settings.taskMode == .immediate
                        ? "dueAt IS NOT NULL" : "dueAt IS NOT NULL AND dueAt <= ?",
                    orderBySQL: "dueAt, rowid",
                    arguments: settings.taskMode == .immediate ? [] : [.integer(Self.micros(now))],
                    limit: Self.batchSize)
                for task in page.tasks where try runner.step(task, in: tx, now: now) { steps += 1 }
                return page.tasks.count
            }
            if due == 0 { break }
        }
        return steps
    }

    /// `POST /_pcmock/tasks/$actions/advance`: every pending task one step, whatever its due
    /// time; with `toCompletion`, until none is pending. Returns the steps taken.
    @discardableResult
    func advance(toCompletion: Bool) throws -> Int {
        var settings = config.current
        // Advancing follows manual mode's steps whatever the mode, so the outcome is predictable.
        settings.taskMode = .manual
        let runner = TaskRunner(settings)
        var steps = 0
        for _ in 0..<(toCompletion ? 1_000 : 1) {
            let now = clock()
            let moved = try store.write { tx -> Int in
                var offset = 0
                var moved = 0
                // Collect first: stepping rewrites `dueAt`, which would shift a paged scan. In
                // submission order (rowid), so that two changes to one entity apply as sent.
                var pending: [StoredTask] = []
                while true {
                    let page = try tx.listTasks(
                        whereSQL: "dueAt IS NOT NULL", orderBySQL: "rowid", limit: Self.batchSize, offset: offset)
                    pending += page.tasks
                    if page.tasks.count < Self.batchSize { break }
                    offset += page.tasks.count
                }
                for task in pending where try runner.step(task, in: tx, now: now) { moved += 1 }
                return moved
            }
            steps += moved
            if moved == 0 { break }
        }
        wake()
        return steps
    }

    private func fire() {
        armedFor = nil
        _ = try? tick(now: clock())
        rearm(force: true)
    }

    /// Must run on `queue`.
    private func rearm(force: Bool) {
        guard config.current.taskMode != .manual,
            let next = try? store.read({ try $0.nextTaskDueDate() })
        else {
            armedFor = nil
            timer.schedule(deadline: .distantFuture)
            return
        }
        if !force, let armedFor, armedFor <= next { return }
        armedFor = next
        // Immediate mode (after a mode switch or a restart) owes every pending task at once.
        let wait = config.current.taskMode == .immediate ? 0 : max(0, next.timeIntervalSince(clock()))
        timer.schedule(deadline: .now() + .microseconds(Int(min(wait, 86_400) * 1_000_000)))
    }

    static func micros(_ date: Date) -> Int64 {
        let m = (date.timeIntervalSince1970 * 1_000_000).rounded()
        return m.isFinite && abs(m) < 9e18 ? Int64(m) : 0
    }
}
