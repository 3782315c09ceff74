import Foundation
import RoostCore

/// A `roost` subcommand run as a separate process (scheduler, agents), with its
/// output in a log file — the demo's farm is real processes talking HTTP.
final class FarmProcess: Sendable {
    let name: String
    let child: ChildProcess
    let log: URL

    init(name: String, arguments: [String], environment: [String: String] = [:], logDirectory: URL) throws {
        self.name = name
        log = logDirectory.appendingPathComponent("\(name).log")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let env = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        child = try ChildProcess(Self.selfExecutable, arguments, environment: env, stdout: log, stderr: log)
    }

    static var selfExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    var isRunning: Bool { child.isRunning }
    func stop() { child.stop() }

    var logTail: String { (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(1500)) } ?? "" }

    /// Runs to completion; throws with the log's tail when it fails.
    static func runToEnd(name: String, arguments: [String], logDirectory: URL) async throws {
        let p = try FarmProcess(name: name, arguments: arguments, logDirectory: logDirectory)
        let exit = await p.child.exit()
        guard exit?.succeeded == true else { throw RoostError.io("\(name) failed (\(String(describing: exit))): \(p.logTail)") }
    }
}
