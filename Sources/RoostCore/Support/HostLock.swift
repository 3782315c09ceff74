import Foundation
import Synchronization

/// A host-wide exclusive lock keyed by the machine id, so nothing Roost runs on
/// one physical host disturbs a benchmark there: agents sharing the host never
/// benchmark at the same time, and a scheduler on the host compiles and
/// computes references only between their timed windows.
public struct HostLock: Sendable {
    public let file: URL

    /// `directory`: where the lock file lives; default `$ROOST_LOCK_DIR`, else `/run/lock`, else the temporary directory.
    public init(machineID: String, directory: String? = nil) {
        let dir = directory ?? ProcessInfo.processInfo.environment["ROOST_LOCK_DIR"]
            ?? (FileManager.default.isWritableFile(atPath: "/run/lock") ? "/run/lock" : NSTemporaryDirectory())
        let key = machineID.isEmpty ? "unknown" : String(Digest.sha256Hex(of: machineID).prefix(16))
        file = URL(fileURLWithPath: dir).appendingPathComponent("roost-host-\(key).lock")
    }

    /// Runs `body` holding the lock; waits (polling every `pollMilliseconds`,
    /// cancellable) while another process holds it.
    public func withLock<T: Sendable>(pollMilliseconds: Int = 100, _ body: () async throws -> T) async throws -> T {
        try await withLock(waitingAtMost: nil, pollMilliseconds: pollMilliseconds) { _ in try await body() }
    }

    /// Like `withLock`, but gives up waiting after `seconds` and runs `body`
    /// anyway, telling it (false) that it does so without the lock: for work
    /// that cannot wait forever (a request with a client on the other end).
    public func withLock<T: Sendable>(waitingAtMost seconds: Double?, pollMilliseconds: Int = 100,
                                      _ body: (_ held: Bool) async throws -> T) async throws -> T {
        let fd = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw RoostError.io("cannot open host lock \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        var held = true
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if let deadline, ContinuousClock.now >= deadline { held = false; break }
            try await Task.sleep(for: .milliseconds(max(1, pollMilliseconds)))
        }
        defer { if held { flock(fd, LOCK_UN) } }
        return try await body(held)
    }

    /// Takes the lock and returns it held, for work that spans more than one
    /// closure (a job's tries, then its result's upload); waits like `withLock`.
    public func acquire(pollMilliseconds: Int = 100) async throws -> Held {
        let fd = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw RoostError.io("cannot open host lock \(file.path): \(String(cString: strerror(errno)))") }
        do {
            while flock(fd, LOCK_EX | LOCK_NB) != 0 { try await Task.sleep(for: .milliseconds(max(1, pollMilliseconds))) }
        } catch {
            close(fd)
            throw error
        }
        return Held(fd: fd)
    }

    /// The lock while held: `release()` lets it go (once; later calls do
    /// nothing), and so does dropping the last reference, so no path keeps it.
    public final class Held: Sendable {
        private let fd: Mutex<Int32?>
        fileprivate init(fd: Int32) { self.fd = Mutex(fd) }

        public var isHeld: Bool { fd.withLock { $0 != nil } }

        public func release() {
            fd.withLock { fd in
                guard let held = fd else { return }
                flock(held, LOCK_UN)
                close(held)
                fd = nil
            }
        }

        deinit { release() }
    }
}
