import Foundation
import RoostCore

/// A `roost` process under test: the real binary, talking HTTP on loopback.
public final class RoostProcess: @unchecked Sendable {
    public let child: ChildProcess
    public let output: URL

    public init(_ arguments: [String], home: URL, extraEnvironment: [String: String] = [:]) throws {
        output = home.appendingPathComponent("proc-\(arguments.prefix(2).joined(separator: "-"))-\(UUID().uuidString.prefix(6)).log")
        var env = ProcessInfo.processInfo.environment
        env["ROOST_HOME"] = home.path
        env["ROOST_LOCK_DIR"] = home.path
        if let python = TestEnvironment.onnxRuntimePython { env["ROOST_ORT_PYTHON"] = python }
        env.merge(extraEnvironment) { _, new in new }
        child = try ChildProcess(TestEnvironment.roostBinary.path, arguments, environment: env, stdout: output, stderr: output)
    }

    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    public func stop() { child.stop() }

    /// Appends every thread's stack (gdb, where installed and allowed to attach)
    /// to this process's log: when a farm test times out, the log then says where
    /// each process was waiting, not only that it fell silent.
    public func appendStacks(reason: String) {
        guard child.isRunning, let gdb = ProcessRunner.which("gdb") else { return }
        let dump = (try? ProcessRunner().run(gdb, ["-p", String(child.pid), "-batch", "-nx", "-ex", "set pagination off",
                                                    "-ex", "thread apply all bt 30"], timeout: 60))
        let text = "\n=== stacks of pid \(child.pid) (\(reason)) ===\n\(dump?.stdout ?? "")\(dump?.stderr ?? "")\n=== end of stacks ===\n"
        guard let handle = try? FileHandle(forWritingTo: output) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(text.utf8))
    }

    /// Runs `roost ARGS` to completion and returns (exit status, stdout, stderr).
    public static func run(_ arguments: [String], home: URL, timeout: Double = 300, extraEnvironment: [String: String] = [:]) throws -> ProcessRunner.Output {
        var env = ProcessInfo.processInfo.environment
        env["ROOST_HOME"] = home.path
        env["ROOST_LOCK_DIR"] = home.path
        env.merge(extraEnvironment) { _, new in new }
        return try ProcessRunner().run(TestEnvironment.roostBinary.path, arguments, environment: env, timeout: timeout)
    }
}
