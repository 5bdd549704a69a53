import FoundationEssentials
import Glibc

/// Finds the catalog (`openapi/`) and default fixtures (`fixtures/`) wherever pcmock is started
/// from: `$PCMOCK_HOME`, beside the executable, an installed `share/pcmock`, or a parent of the
/// executable (a SwiftPM build inside the repository), then the working directory.
///
/// Plain path strings and libc calls: start-up looks up both directories, and through
/// `ProcessInfo.environment` and `URL` path arithmetic that cost ~0.6 M instructions each.
public enum ResourceLocator {
    public static func directory(named name: String) -> URL? {
        var found: String?
        forEachCandidate { base in
            let path = base == "/" ? "/" + name : base + "/" + name
            if isDirectory(path) { found = path }
            return found == nil
        }
        return found.map { URL(fileURLWithPath: $0, isDirectory: true) }
    }

    /// Calls `visit` with each place to look, in order, until it answers false.
    private static func forEachCandidate(_ visit: (String) -> Bool) {
        if let home = getenv("PCMOCK_HOME").map({ String(cString: $0) }), !home.isEmpty, !visit(home) { return }
        if let executable = executableDirectory() {
            guard visit(executable) else { return }
            let installed = parent(of: executable)
            guard visit((installed == "/" ? "" : installed) + "/share/pcmock") else { return }
            var directory = executable
            for _ in 0..<6 {
                directory = parent(of: directory)
                guard visit(directory) else { return }
            }
        }
        if let cwd = getcwd(nil, 0) {
            defer { free(cwd) }
            _ = visit(String(cString: cwd))
        }
    }

    /// The directory of the running executable, symlinks resolved (argv[0] may be a bare name
    /// found on PATH, so it is only the fallback).
    private static func executableDirectory() -> String? {
        guard let resolved = realpath("/proc/self/exe", nil) ?? CommandLine.arguments.first.flatMap({ realpath($0, nil) })
        else { return nil }
        defer { free(resolved) }
        return parent(of: String(cString: resolved))
    }

    /// `path` without its last component (`/` stays `/`).
    private static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    /// True when `path` names a directory (following symlinks).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
