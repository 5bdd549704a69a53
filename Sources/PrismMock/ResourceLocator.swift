import FoundationEssentials
import Glibc

/// Finds the catalog (`openapi/`) and default fixtures (`fixtures/`) wherever pcmock is started
/// from: `$PCMOCK_HOME`, beside the executable, an installed `share/pcmock`, or a parent of the
/// executable (a SwiftPM build inside the repository), then the working directory.
public enum ResourceLocator {
    public static func directory(named name: String) -> URL? {
        var candidates: [URL] = []
        // getenv, not `ProcessInfo.environment`: that copies the whole environment into a
        // dictionary, a tenth of the catalog thread's start-up.
        if let raw = getenv("PCMOCK_HOME") {
            let home = String(cString: raw)
            if !home.isEmpty { candidates.append(URL(fileURLWithPath: home)) }
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        candidates.append(dir)
        candidates.append(dir.appendingPathComponent("../share/pcmock").standardized)
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent()
            candidates.append(dir)
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for base in candidates {
            let url = base.appendingPathComponent(name)
            if isDirectory(url.path) { return url }
        }
        return nil
    }

    /// True when `path` names a directory (following symlinks).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
