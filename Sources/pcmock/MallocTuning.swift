import Glibc

/// glibc malloc settings for a server whose heap is small at rest but whose responses are large.
///
/// With the catalog's models decoded lazily the heap is a few MB, so a list response's
/// buffers (tens to hundreds of KB) sit at its top: glibc's default trim threshold (128 KiB)
/// then gave that memory back to the kernel after every request and faulted it in again on
/// the next — 49 page faults and ~130 µs of CPU per 66 KB list. Buffers above the default
/// mmap threshold had the same problem with a fresh mapping each time.
///
/// `mallopt` and `malloc_trim` are not in Swift's Glibc module (malloc.h is not part of it), so
/// they are looked up by name; without them pcmock runs with glibc's defaults.
enum MallocTuning {
    // From glibc's malloc.h.
    private static let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
    private static let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
    private static let topPad: Int32 = -2  // M_TOP_PAD
    /// glibc's default M_TOP_PAD.
    private static let defaultTopPad: Int32 = 128 << 10

    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// Before start-up allocates anything large: keep up to 16 MiB of free heap, and serve
    /// blocks up to 8 MiB from the heap rather than a mapping of their own. During start-up a
    /// heap also grows 2 MiB at a time: the catalog thread's heap grew a page per `mprotect`
    /// (~300 calls on the way to the ready line, 17 with the pad). Idempotent.
    static func configure() {
        guard let mallopt = function("mallopt", as: Mallopt.self) else { return }
        _ = mallopt(trimThreshold, 16 << 20)
        _ = mallopt(mmapThreshold, 8 << 20)
        _ = mallopt(topPad, 2 << 20)
    }

    /// After start-up: heaps grow by glibc's default pad again, and what loading freed goes
    /// back to the kernel (idle RSS).
    static func releaseFreeMemory() {
        if let mallopt = function("mallopt", as: Mallopt.self) {
            _ = mallopt(topPad, defaultTopPad)
        }
        guard let trim = function("malloc_trim", as: MallocTrim.self) else { return }
        _ = trim(0)
    }

    private static func function<F>(_ name: String, as type: F.Type) -> F? {
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
