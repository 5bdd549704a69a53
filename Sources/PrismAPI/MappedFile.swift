import FoundationEssentials
import Glibc

/// A catalog document's bytes, memory-mapped read-only for the duration of one read.
///
/// Reading openapi/ into arrays (`Data`, then `[UInt8]`) touched two fresh copies of 4.3 MB,
/// and their page faults were a sixth of start-up; a private read-only mapping reads the page
/// cache in place, and unmapping leaves nothing of it resident.
enum MappedFile {
    static func withBytes<T>(of url: URL, _ body: (UnsafeBufferPointer<UInt8>) throws(CatalogError) -> T)
        throws(CatalogError) -> T
    {
        let name = url.lastPathComponent
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: name, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: name, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(file: name, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        defer { munmap(base, size) }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size))
    }
}
