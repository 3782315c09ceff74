import ArgumentParser
import Foundation
import Logging
import RoostAgentCLI

/// `roost`: the whole farm in one binary — database, scheduler, agent, queue, report, demo.
@main
struct RoostMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roost",
        abstract: "Roost: benchmark an ONNX model across hardware and pick where to deploy it.",
        subcommands: [
            DBCommand.self, SchedulerCommand.self, TokenCommand.self, FarmAgentCommand.self,
            BenchCommand.self, ReportCommand.self, DemoCommand.self, ModelsCommand.self,
            CompileCommand.self, InferCommand.self, InspectCommand.self, ProfileCommand.self,
        ])

    static func main() async {
        let level = ProcessInfo.processInfo.environment["ROOST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            // Usage errors exit 1 like every other error, so the codes a CI gate
            // reads (3, 4, 5: see GateExitCode) mean only what they say.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode.failure)
            }
            exit(withError: error)
        }
    }
}
