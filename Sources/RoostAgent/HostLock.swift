import Foundation
import RoostCore

/// A host-wide exclusive lock keyed by the machine id, so agents sharing one
/// physical host never benchmark at the same time and disturb each other.
public struct HostLock: Sendable {
    public let file: URL

    public init(machineID: String) {
        let dir = ProcessInfo.processInfo.environment["ROOST_LOCK_DIR"]
            ?? (FileManager.default.isWritableFile(atPath: "/run/lock") ? "/run/lock" : NSTemporaryDirectory())
        let key = machineID.isEmpty ? "unknown" : String(Digest.sha256Hex(of: machineID).prefix(16))
        file = URL(fileURLWithPath: dir).appendingPathComponent("roost-host-\(key).lock")
    }

    /// Runs `body` holding the lock; waits (polling, cancellable) while another agent holds it.
    public func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let fd = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw RoostError.io("cannot open host lock \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }
}
