import Foundation

/// A child process started with `posix_spawn` and reaped with `waitpid` by its
/// owner. Foundation's `Process` learns of exits through Dispatch, which a busy
/// 2-core machine can starve (children then linger as zombies and look alive);
/// owning the pid makes exit detection exact — it matters for worker deadlines.
public final class ChildProcess: @unchecked Sendable {
    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        public var succeeded: Bool { self == .exited(0) }
    }

    public let pid: pid_t
    public let executable: String
    private let state = LockedBox<Exit?>(nil)

    /// Starts `executable` with stdin from /dev/null and stdout/stderr appended to
    /// the given files (or /dev/null). `environment` nil inherits ours.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                stdout: URL? = nil, stderr: URL? = nil, workingDirectory: URL? = nil) throws {
        self.executable = executable
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout?.path ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr?.path ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift here;
        // coreutils' `env -C` changes directory before exec instead.
        let (program, argv) = workingDirectory.map { ("/usr/bin/env", ["env", "-C", $0.path, executable] + arguments) }
            ?? (executable, [executable] + arguments)
        var pid: pid_t = 0
        let rc = Self.withCStrings(argv) { cArgs in
            Self.withCStrings(env) { cEnv in posix_spawn(&pid, program, &actions, nil, cArgs, cEnv) }
        }
        guard rc == 0 else { throw RoostError.io("cannot start \(executable): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// The exit status if the child has ended (reaping it), else nil.
    public func poll() -> Exit? {
        if let done = state.get() { return done }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return nil }
        let exit: Exit = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        state.set(exit)
        return exit
    }

    public var isRunning: Bool { poll() == nil }

    /// Waits for the end, polling so the caller's thread stays responsive.
    @discardableResult
    public func wait(timeout: Double? = nil) -> Exit? {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let e = poll() { return e }
            if let deadline, Date() > deadline { return nil }
            usleep(5_000)
        }
    }

    /// Async wait on a dedicated thread: neither blocks the cooperative pool nor
    /// depends on it being free to notice the exit or the deadline on time.
    /// Returns nil when the deadline passes or the task is cancelled first.
    public func exit(within seconds: Double? = nil) async -> Exit? {
        let cancelled = LockedBox(false)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Exit?, Never>) in
                let deadline = seconds.map { Date().addingTimeInterval($0) }
                let thread = Thread {
                    while true {
                        if let e = self.poll() { continuation.resume(returning: e); return }
                        if cancelled.get() || deadline.map({ Date() > $0 }) == true { continuation.resume(returning: nil); return }
                        usleep(5_000)
                    }
                }
                thread.start()
            }
        } onCancel: {
            cancelled.set(true)
        }
    }

    public func signal(_ sig: Int32) {
        if state.get() == nil { kill(pid, sig) }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; reaps the child.
    public func stop(grace: Double = 5) {
        guard isRunning else { return }
        signal(SIGTERM)
        if wait(timeout: grace) == nil {
            signal(SIGKILL)
            wait()
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
