import ArgumentParser
import Logging
import RoostAgentCLI

/// The standalone agent binary: the same commands as `roost agent`, without the
/// scheduler, store or compiler — small enough to cross-build for ARM boards.
@main
struct RoostAgentMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roost-agent",
        abstract: "Roost hardware agent.",
        subcommands: [AgentProbeCommand.self, AgentEnrollCommand.self, AgentRunCommand.self, AgentRunBundleCommand.self, AgentWorkerCommand.self])

    static func main() async {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .info
            return h
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }
}
