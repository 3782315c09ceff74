import Foundation
import RoostClient
import RoostCore

/// Content-addressed artifact files on the agent's disk. A file is trusted only
/// after its sha256 matches its name — on download and again on every reuse.
public struct ArtifactCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func path(for sha256: String) -> URL { directory.appendingPathComponent("\(sha256).roost") }

    public func fetch(sha256: String, using client: RoostClient) async throws -> URL {
        let file = path(for: sha256)
        if FileManager.default.fileExists(atPath: file.path) {
            if (try? Digest.sha256Hex(ofFile: file)) == sha256 { return file }
            try? FileManager.default.removeItem(at: file)
        }
        let data = try await client.downloadArtifact(sha256: sha256)
        let actual = Digest.sha256Hex(of: data)
        guard actual == sha256 else {
            throw RoostError.invalidArtifact("downloaded artifact hashes to \(actual), expected \(sha256); refusing to run it")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tmp = directory.appendingPathComponent(".\(sha256).\(UUID().uuidString).tmp")
        try data.write(to: tmp)
        // rename(2) replaces atomically: a reader never sees a half-written artifact.
        guard rename(tmp.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: tmp)
            throw RoostError.io("cannot store artifact \(file.path): \(String(cString: strerror(errno)))")
        }
        return file
    }
}
