import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostClient
import RoostCore

/// `roost agent …`: the machine-side commands of `roost-agent` (probe, enroll,
/// run, worker) plus the operator's view of the farm's agents (list, drain,
/// pause, resume), which need the admin credential rather than an agent's.
struct FarmAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: AgentCommand.configuration.abstract + " List, drain, pause, resume and revoke agents (admin).",
        subcommands: AgentCommand.configuration.subcommands + [List.self, Drain.self, Pause.self, Resume.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every enrolled agent: state, last heartbeat, current job, target, health.")
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                let agents = try await admin.client().agents()
                print(json ? CanonicalJSON.pretty(agents.map(AgentListRow.init)) : AgentListRow.table(agents.map(AgentListRow.init)))
            }
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let the agent finish its current job and take no more (then it is paused).")
        @Argument(help: "Agent name.") var name: String
        @OptionGroup var admin: AdminOptions
        func run() async throws { try await FarmAgentCommand.apply(.drain, to: name, admin) }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take no more jobs on this agent (a running job finishes).")
        @Argument(help: "Agent name.") var name: String
        @OptionGroup var admin: AdminOptions
        func run() async throws { try await FarmAgentCommand.apply(.pause, to: name, admin) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a paused, draining, degraded or quarantined agent take jobs again.")
        @Argument(help: "Agent name.") var name: String
        @OptionGroup var admin: AdminOptions
        func run() async throws { try await FarmAgentCommand.apply(.resume, to: name, admin) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the agent's credential: refused within 5 s; it must enroll again to take work.")
        @Argument(help: "Agent name.") var name: String
        @OptionGroup var admin: AdminOptions
        func run() async throws {
            try await runReportingErrors {
                guard !name.isEmpty else { throw RoostError.invalidArgument("agent name required") }
                let agent = try await admin.client().revokeAgent(name: name)
                print("\(agent.name): credential revoked")
            }
        }
    }
}

extension FarmAgentCommand {
    /// The shared body of drain, pause and resume.
    static func apply(_ action: AgentState.Action, to name: String, _ admin: AdminOptions) async throws {
        try await runReportingErrors {
            guard !name.isEmpty else { throw RoostError.invalidArgument("agent name required") }
            let agent = try await admin.client().changeAgentState(name: name, action: action)
            print("\(agent.name): \(agent.state)\(agent.currentJob.map { " (finishing job \($0.prefix(8)))" } ?? "")")
        }
    }
}
