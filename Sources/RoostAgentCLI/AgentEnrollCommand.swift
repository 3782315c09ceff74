import ArgumentParser
import Foundation
import RoostAgent
import RoostClient
import RoostCore
import RoostProbe

/// `roost agent enroll`: trade a one-time token for this agent's own credential.
public struct AgentEnrollCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enroll this machine with a scheduler using a one-time token.")

    @Option(help: "Scheduler URL, e.g. http://10.0.0.5:8740 or https://sched.lab:8740.") var scheduler: String
    @Option(help: "One-time enrollment token from 'roost token create --enroll'.") var token: String
    @Option(help: "Agent name, unique in the farm.") var name: String
    @Option(name: .customLong("tag"), help: "A KEY=VALUE tag (repeatable).") var tags: [String] = []
    @Option(help: "Agent profile JSON (tags, price per hour, CPU limits), e.g. Agents/generic-x86_64.json.") var profile: String?
    @Option(name: .customLong("ca-cert"), help: ArgumentHelp(
        "PEM file of the CA that signed an https scheduler's certificate (default: $ROOST_CA_CERT, else the system trust store); kept for 'agent run'.",
        valueName: "file")) var caCert: String?

    public init() {}

    public func run() async throws {
        try await runReportingErrors {
            try AgentCredentials.validate(name: name)
            let profile = try self.profile.map { try AgentProfile.load(from: URL(fileURLWithPath: $0)) }
            try AgentSetup.applyCPULimits(profile)
            var allTags = profile?.tags ?? [:]
            allTags.merge(try AgentSetup.parseTags(tags)) { _, new in new }
            let hardware = EngineDiscovery.complete(HardwareProbe().probe(), profile: profile)
            // Absolute: `agent run` may start in another directory (a service).
            let ca = CACertificate.path(flag: caCert, scheduler: scheduler).map(CACertificate.absolute)
            let client = try RoostClient(scheduler: scheduler, credential: nil, caCertificate: ca)
            let reply = try await client.enroll(EnrollRequest(token: token, name: name, tags: allTags, hardware: hardware, profile: profile))
            let home = RoostHome()
            let creds = AgentCredentials(name: reply.name, agentID: reply.agentID, scheduler: scheduler, credential: reply.credential, profile: profile,
                                         signingKey: reply.signingKey, caCertificate: ca)
            try creds.save(home: home)
            print("enrolled agent '\(reply.name)' (\(reply.agentID)) as \(TargetSpec(hardware: hardware).label)")
            print("credential saved to \(AgentCredentials.file(for: reply.name, home: home).path); start it with: roost agent run --name \(reply.name)")
        }
    }
}
