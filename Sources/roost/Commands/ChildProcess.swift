import Foundation
import RoostCore

/// A `roost` subcommand run as a separate process (scheduler, agents), with its
/// output in a log file — the demo's farm is real processes talking HTTP.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let process = Process()
    let log: URL

    init(name: String, arguments: [String], environment: [String: String] = [:], logDirectory: URL) throws {
        self.name = name
        log = logDirectory.appendingPathComponent("\(name).log")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: Self.selfExecutable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    static var selfExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    var isRunning: Bool { process.isRunning }

    /// SIGTERM, then SIGKILL after a grace period.
    func stop(grace: Double = 5) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    /// Runs to completion; throws with the log's tail when it fails.
    static func runToEnd(name: String, arguments: [String], environment: [String: String] = [:], logDirectory: URL) throws {
        let child = try ChildProcess(name: name, arguments: arguments, environment: environment, logDirectory: logDirectory)
        child.process.waitUntilExit()
        guard child.process.terminationStatus == 0 else {
            let tail = (try? String(contentsOf: child.log, encoding: .utf8)).map { String($0.suffix(800)) } ?? ""
            throw RoostError.io("\(name) failed (exit \(child.process.terminationStatus)): \(tail)")
        }
    }
}
