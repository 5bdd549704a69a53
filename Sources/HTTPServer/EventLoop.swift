import CEventLoop
import Dispatch
import Glibc
import Synchronization

/// One thread, one epoll instance, and every connection assigned to it. Readiness is
/// level-triggered: a connection stays registered for input while it reads, so serving a
/// request costs an `epoll_wait` (shared by every ready socket), a read and a send, and no
/// re-arming. Work from other threads (a new connection, shutdown) arrives through `execute`,
/// which wakes the loop with an eventfd.
///
/// Confinement: everything mutable except `tasks` is touched only on the loop's own thread
/// (`tasks` is behind a mutex); that is what makes `@unchecked Sendable` safe.
final class EventLoop: @unchecked Sendable {
    enum Slot {
        case connection(Connection)
        case listener(Listener)
    }

    let index: Int
    private let epoll: Int32
    private let wakeFD: Int32
    /// Sockets are drained into this one buffer, so idle connections own no read buffer.
    let readBuffer: UnsafeMutableRawBufferPointer
    var date = HTTPDateCache()
    /// Indexed by descriptor; the serial tells a slot's current owner from an earlier one.
    private var slots: [(serial: UInt32, slot: Slot?)] = []
    private var nextSerial: UInt32 = 0
    private var liveSlots = 0
    private var timers = TimerHeap()
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)
    private var stopping = false
    private var thread: pthread_t?

    private static let wakeToken = UInt64.max

    init(index: Int) {
        self.index = index
        epoll = pcmock_epoll_create()
        wakeFD = pcmock_eventfd()
        precondition(epoll >= 0 && wakeFD >= 0, "epoll/eventfd unavailable: errno \(errno)")
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        _ = pcmock_epoll_ctl(epoll, 0, wakeFD, PCMOCK_EPOLLIN, EventLoop.wakeToken)
    }

    deinit {
        readBuffer.deallocate()
        Socket.close(wakeFD)
        Socket.close(epoll)
    }

    // MARK: threads

    func startThread() {
        let body = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { argument in
                guard let argument else { return nil }
                let loop = Unmanaged<EventLoop>.fromOpaque(argument).takeRetainedValue()
                loop.run()
                return nil
            }, body)
        precondition(result == 0, "pthread_create failed: \(result)")
        thread = handle
    }

    /// Ends the loop after the tasks already queued and waits for its thread; whatever is still
    /// registered is closed. Must not be called on the loop's thread.
    func stopAndJoin() {
        execute { [self] in stopping = true }
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    /// Runs `task` on the loop's thread, after the event it may be handling.
    func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) { pcmock_eventfd_signal(wakeFD) }
    }

    /// Runs `task` on the loop's thread and waits for it.
    func executeAndWait(_ task: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        execute {
            task()
            done.signal()
        }
        done.wait()
    }

    // MARK: registration (loop thread only)

    /// Registers `fd` for `events`; returns the token its events will carry.
    func register(_ fd: Int32, _ slot: Slot, events: UInt32) -> UInt64? {
        let index = Int(fd)
        if index >= slots.count {
            let empty: (serial: UInt32, slot: Slot?) = (0, nil)
            slots.append(contentsOf: repeatElement(empty, count: max(index + 1 - slots.count, slots.count)))
        }
        nextSerial &+= 1
        let token = UInt64(UInt32(bitPattern: fd)) | UInt64(nextSerial) << 32
        guard pcmock_epoll_ctl(epoll, 0, fd, events, token) == 0 else { return nil }
        slots[index] = (nextSerial, slot)
        liveSlots += 1
        return token
    }

    func modify(_ fd: Int32, token: UInt64, events: UInt32) {
        _ = pcmock_epoll_ctl(epoll, 1, fd, events, token)
    }

    /// Before the descriptor is closed, so a reused number never reaches the old owner.
    func deregister(_ fd: Int32) {
        _ = pcmock_epoll_ctl(epoll, 2, fd, 0, 0)
        let index = Int(fd)
        guard index < slots.count, slots[index].slot != nil else { return }
        slots[index].slot = nil
        liveSlots -= 1
    }

    func schedule(_ target: any LoopTimerTarget, at deadline: UInt64) {
        timers.push(TimerHeap.Entry(at: deadline, target: target))
    }

    // MARK: the loop

    private func run() {
        let capacity = 256
        var tokens = [UInt64](repeating: 0, count: capacity)
        var events = [UInt32](repeating: 0, count: capacity)
        while !stopping {
            let count = tokens.withUnsafeMutableBufferPointer { tokenBuffer in
                events.withUnsafeMutableBufferPointer { eventBuffer in
                    pcmock_epoll_wait(
                        epoll, tokenBuffer.baseAddress, eventBuffer.baseAddress, Int32(capacity), waitTimeout())
                }
            }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in 0..<Int(count) {
                let token = tokens[i]
                if token == EventLoop.wakeToken {
                    runTasks()
                    continue
                }
                let index = Int(UInt32(truncatingIfNeeded: token))
                guard index < slots.count, slots[index].serial == UInt32(truncatingIfNeeded: token >> 32),
                    let slot = slots[index].slot
                else { continue }
                switch slot {
                case .connection(let connection): connection.handle(events: events[i])
                case .listener(let listener): listener.acceptAll()
                }
            }
            runTimers()
        }
        closeEverything()
    }

    private func runTasks() {
        pcmock_eventfd_drain(wakeFD)
        wakePending.store(false, ordering: .releasing)
        let pending = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for task in pending { task() }
    }

    /// Milliseconds until the earliest timer, rounded up so it has expired on wake-up.
    private func waitTimeout() -> Int32 {
        guard let first = timers.first else { return -1 }
        let now = Clock.now()
        if first.at <= now { return 0 }
        return Int32(clamping: (first.at - now + 999_999) / 1_000_000)
    }

    private func runTimers() {
        guard let first = timers.first else { return }
        var now = Clock.now()
        guard first.at <= now else { return }
        while let entry = timers.first, entry.at <= now {
            timers.popFirst()
            entry.target.timerFired(scheduledAt: entry.at)
            now = Clock.now()
        }
        // Entries a connection no longer waits for stay until their time; prune them when they
        // outnumber the live ones, so a churn of short connections cannot grow the heap.
        if timers.count > 64 + 4 * liveSlots { timers.removeAll { !$0.target.isWaiting(for: $0.at) } }
    }

    private func closeEverything() {
        runTasks()
        for entry in slots {
            switch entry.slot {
            case .connection(let connection): connection.close()
            case .listener(let listener): listener.stop()
            case nil: break
            }
        }
        slots = []
        timers = TimerHeap()
    }
}

/// Something the loop wakes at a deadline. Entries are never cancelled: the target tells
/// whether it still waits for the one that fired.
protocol LoopTimerTarget: AnyObject {
    func timerFired(scheduledAt: UInt64)
    func isWaiting(for deadline: UInt64) -> Bool
}

/// The monotonic clock every deadline is in, in nanoseconds.
enum Clock {
    @inline(__always)
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
