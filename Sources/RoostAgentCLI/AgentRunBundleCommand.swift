import ArgumentParser
import Foundation
import Logging
import RoostAgent
import RoostBundle
import RoostCore
import RoostProbe

/// `roost agent run-bundle` (and `roost-agent run-bundle`): benchmark a
/// bundle's jobs on a board with no network and write the sealed results file
/// that `roost bench import` stores. Talks to no scheduler.
public struct AgentRunBundleCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run-bundle",
        abstract: "Run an offline bundle's jobs on this machine (no network) and write a results file for 'roost bench import'.")

    @Argument(help: "The bundle from 'roost bench export'.") var bundle: String
    @Argument(help: "Where to write the results file.") var results: String
    @Option(help: "This board's agent name in reports (default: the board name the bundle was exported for).") var name: String?
    @Option(help: "Agent profile JSON (tags, price per hour, CPU limits, engines), e.g. Agents/raspberry-pi-5.json.") var profile: String?
    @Option(help: "Refuse the bundle unless its artifacts are signed with this key (the scheduler's public key, base64).") var signingKey: String?

    public init() {}

    public func run() async throws {
        try await runReportingErrors {
            if let name { try AgentCredentials.validate(name: name) }
            let input = URL(fileURLWithPath: bundle), output = URL(fileURLWithPath: results)
            guard input.standardizedFileURL != output.standardizedFileURL else {
                throw RoostError.invalidArgument("the results file must not overwrite the bundle")
            }
            let offline = try OfflineBundle.read(from: input)
            let profile = try self.profile.map { try AgentProfile.load(from: URL(fileURLWithPath: $0)) }
            try AgentSetup.applyCPULimits(profile)
            var logger = Logger(label: "roost.agent")
            logger[metadataKey: "bundle"] = "\(offline.manifest.bundleID)"
            let hardware = EngineDiscovery.complete(HardwareProbe().probe(), profile: profile)
            let home = RoostHome()
            let scratch = home.path("bundles", offline.manifest.bundleID, "work")
            defer { try? FileManager.default.removeItem(at: scratch.deletingLastPathComponent()) }
            let measure = JobBenchmark(
                supervisor: WorkerSupervisor(command: WorkerCommandLine.current(), scratch: scratch, memoryLimitMB: profile?.workerMemoryLimitMB),
                lock: HostLock(machineID: hardware.machineID), logger: logger)
            let runner = BundleRunner(measure: measure, hardware: hardware, agentName: name, profile: profile, expectedSigningKey: signingKey)
            let outcome = try await runner.run(offline)
            try BundleFile.write(outcome.file.encoded(), to: output)
            for (job, result) in outcome.results {
                let what = result.status == .succeeded ? (result.validity?.label ?? "VALID") : "error: \(result.errorMessage ?? "")"
                print("job \(job): \(what)")
            }
            for (job, reason) in outcome.skipped { print("job \(job): skipped, \(reason)") }
            print("wrote \(outcome.results.count) result(s) for agent '\(outcome.file.manifest.agentName)' to \(output.path); import them with: roost bench import \(output.path)")
        }
    }
}
