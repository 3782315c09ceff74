import Foundation

/// `$ROOST_HOME` (default `./.roost`): the private PostgreSQL cluster, the admin
/// credential, agent credentials, artifact caches. Secrets are written 0600.
public struct RoostHome: Sendable {
    public let url: URL

    public init(path: String? = nil) {
        let env = ProcessInfo.processInfo.environment["ROOST_HOME"]
        let p = path ?? env ?? ".roost"
        url = URL(fileURLWithPath: p, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }

    public func path(_ components: String...) -> URL {
        components.reduce(url) { $0.appendingPathComponent($1) }
    }

    public func ensure(_ dir: URL? = nil) throws {
        try FileManager.default.createDirectory(at: dir ?? url, withIntermediateDirectories: true)
    }

    public var adminTokenFile: URL { path("admin.token") }
    public var databaseURLFile: URL { path("database-url") }

    /// Writes a secret so only the owner can read it (mode 0600 from creation on).
    public static func writeSecret(_ text: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw RoostError.io("cannot write \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw RoostError.io("short write to \(file.path)") }
    }

    public static func readTrimmed(_ file: URL) -> String? {
        (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
