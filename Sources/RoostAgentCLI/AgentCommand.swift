import ArgumentParser

/// `roost agent …` and the standalone `roost-agent`: the commands that run on
/// benchmark machines. Nothing here links the server stack.
public struct AgentCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a hardware agent: probe this machine, enroll with a scheduler, run benchmark jobs.",
        subcommands: [AgentProbeCommand.self, AgentEnrollCommand.self, AgentRunCommand.self, AgentRunBundleCommand.self, AgentWorkerCommand.self])

    public init() {}
}
