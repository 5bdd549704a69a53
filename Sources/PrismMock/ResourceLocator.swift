import Foundation

/// Finds the catalog (`openapi/`) and default fixtures (`fixtures/`) wherever pcmock is started
/// from: `$PCMOCK_HOME`, beside the executable, an installed `share/pcmock`, or a parent of the
/// executable (a SwiftPM build inside the repository), then the working directory.
public enum ResourceLocator {
    public static func directory(named name: String) -> URL? {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["PCMOCK_HOME"], !home.isEmpty {
            candidates.append(URL(fileURLWithPath: home))
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
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
                return url
            }
        }
        return nil
    }
}
