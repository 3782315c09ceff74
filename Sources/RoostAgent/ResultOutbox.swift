import Foundation
import RoostCore

/// Finished results waiting for the scheduler's acknowledgement, one JSON file
/// each under `agents/NAME/outbox/`. A result is on disk (written atomically and
/// synced) before its first upload, and removed only once the scheduler accepted
/// it or refused it for good — so a scheduler that is down when a job ends loses
/// nothing, and a restarted agent delivers what it had.
public struct ResultOutbox: Sendable {
    /// One result and the lease it belongs to.
    public struct Entry: Codable, Sendable, Equatable {
        public var jobID: String
        public var attempt: Int
        public var leaseToken: String
        public var result: BenchmarkResult
        public init(jobID: String, attempt: Int, leaseToken: String, result: BenchmarkResult) {
            self.jobID = jobID; self.attempt = attempt; self.leaseToken = leaseToken; self.result = result
        }
    }

    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Where results the scheduler rejected as malformed are kept for a human.
    public var rejectedDirectory: URL { directory.appendingPathComponent("rejected") }

    /// Writes `entry` with write-to-temporary, fsync, rename: a crash leaves the
    /// old state or the new, never half a file.
    @discardableResult
    public func save(_ entry: Entry) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(entry.jobID)-\(entry.attempt).json")
        let tmp = directory.appendingPathComponent(".\(entry.jobID)-\(UUID().uuidString).tmp")
        let data = CanonicalJSON.encode(entry)
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil), let handle = try? FileHandle(forWritingTo: tmp) else {
            throw RoostError.io("cannot write \(tmp.path)")
        }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: tmp)
            throw RoostError.io("cannot write \(tmp.path): \(error)")
        }
        guard rename(tmp.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: tmp)
            throw RoostError.io("cannot store \(file.path): \(String(cString: strerror(errno)))")
        }
        return file
    }

    /// Waiting results, oldest first.
    public func pending() -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        return files.filter { $0.pathExtension == "json" && !$0.lastPathComponent.hasPrefix(".") }
            .map { ($0, (try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast) }
            .sorted { ($0.1, $0.0.lastPathComponent) < ($1.1, $1.0.lastPathComponent) }
            .map(\.0)
    }

    public func load(_ file: URL) throws -> Entry {
        do { return try CanonicalJSON.decode(Entry.self, from: Data(contentsOf: file)) } catch {
            throw RoostError.invalidArgument("outbox entry \(file.lastPathComponent) is damaged: \(error)")
        }
    }

    /// Acknowledged: gone.
    public func remove(_ file: URL) { try? FileManager.default.removeItem(at: file) }

    /// Undeliverable (damaged, or refused as malformed): kept aside, out of the way.
    public func reject(_ file: URL) {
        try? FileManager.default.createDirectory(at: rejectedDirectory, withIntermediateDirectories: true)
        let dest = rejectedDirectory.appendingPathComponent(file.lastPathComponent)
        try? FileManager.default.removeItem(at: dest)
        if rename(file.path, dest.path) != 0 { remove(file) }
    }
}
