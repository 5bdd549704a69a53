import FoundationEssentials
import Glibc

/// Finds the catalog (`openapi/`) and default fixtures (`fixtures/`) wherever pcmock is started
/// from: `$PCMOCK_HOME`, beside the executable, an installed `share/pcmock`, or a parent of the
/// executable (a SwiftPM build inside the repository), then the working directory.
public enum ResourceLocator {
    public static func directory(named name: String) -> URL? {
        // getenv, not `ProcessInfo.environment`: that copies the whole environment into a
        // dictionary, a tenth of the catalog thread's start-up.
        if let raw = getenv("PCMOCK_HOME") {
            let home = String(cString: raw)
            if !home.isEmpty {
                let url = URL(fileURLWithPath: home).appendingPathComponent(name)
                if isDirectory(url.path) { return url }
            }
        }
        // The places around the executable as path strings: each URL step (resolving,
        // standardizing, appending) cost ~15,000 instructions, most of locating the catalog.
        if let candidates = executableCandidates() {
            for base in candidates {
                let path = joined(base, name)
                if isDirectory(path) { return URL(fileURLWithPath: path, isDirectory: true) }
            }
        } else {
            // An executable path that does not resolve: the same places, found as URLs do.
            let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            var dir = exe.deletingLastPathComponent()
            var bases = [dir, dir.appendingPathComponent("../share/pcmock").standardized]
            for _ in 0..<6 {
                dir = dir.deletingLastPathComponent()
                bases.append(dir)
            }
            for base in bases {
                let url = base.appendingPathComponent(name)
                if isDirectory(url.path) { return url }
            }
        }
        let url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name)
        return isDirectory(url.path) ? url : nil
    }

    /// True when `path` names a directory (following symlinks).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The executable's directory (symlinks resolved), `../share/pcmock` beside it, then six
    /// parents; nil when the executable's path does not resolve.
    private static func executableCandidates() -> [String]? {
        guard let argument = CommandLine.arguments.first, !argument.isEmpty else { return nil }
        var path = argument
        if !path.hasPrefix("/") {
            guard let cwd = getcwd(nil, 0) else { return nil }
            defer { free(cwd) }
            path = joined(String(cString: cwd), path)
        }
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        var dir = parent(String(cString: resolved))
        var candidates = [dir, joined(parent(dir), "share/pcmock")]
        for _ in 0..<6 {
            dir = parent(dir)
            candidates.append(dir)
        }
        return candidates
    }

    /// `path` without its last component; `/` stays `/`.
    private static func parent(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    private static func joined(_ base: String, _ name: String) -> String {
        base.hasSuffix("/") ? base + name : base + "/" + name
    }
}
