import Foundation
import RoostCore

/// A `roost` process under test: the real binary, talking HTTP on loopback.
public final class RoostProcess: @unchecked Sendable {
    public let process = Process()
    public let output: URL

    public init(_ arguments: [String], home: URL, extraEnvironment: [String: String] = [:]) throws {
        output = home.appendingPathComponent("proc-\(arguments.prefix(2).joined(separator: "-"))-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.executableURL = TestEnvironment.roostBinary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ROOST_HOME"] = home.path
        env["ROOST_LOCK_DIR"] = home.path
        env.merge(extraEnvironment) { _, new in new }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
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
