import ArgumentParser
import Foundation
import Logging
import RoostAgent
import RoostClient
import RoostCore
import RoostProbe

/// `roost agent run`: the long-running agent daemon.
public struct AgentRunCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "run", abstract: "Run an enrolled agent: lease jobs, benchmark, report.")

    @Option(help: "Name the agent was enrolled with.") var name: String
    @Option(help: "Exit after this many seconds without work.") var exitWhenIdle: Double?
    @Option(name: .customLong("ca-cert"), help: ArgumentHelp(
        "PEM file of the CA that signed an https scheduler's certificate, for this run (default: the one given at enrollment, else $ROOST_CA_CERT, else the system trust store).",
        valueName: "file")) var caCert: String?

    public init() {}

    public func run() async throws {
        try await runReportingErrors {
            if let exitWhenIdle, exitWhenIdle <= 0 { throw RoostError.invalidArgument("--exit-when-idle must be positive") }
            try AgentCredentials.validate(name: name)
            let home = RoostHome()
            var creds = try AgentCredentials.load(name: name, home: home)
            creds.caCertificate = caCert ?? creds.caCertificate ?? CACertificate.path(flag: nil, scheduler: creds.scheduler)
            let allowedAtStart = CPUAffinity.current()
            try AgentSetup.applyCPULimits(creds.profile)
            var logger = Logger(label: "roost.agent")
            logger[metadataKey: "agent"] = "\(name)"
            // Probed on the benchmark CPUs (the target is theirs), then the agent steps aside.
            let hardware = EngineDiscovery.complete(HardwareProbe().probe(), profile: creds.profile)
            let benchmarkCPUs = AgentSetup.moveOffBenchmarkCPUs(allowedAtStart: allowedAtStart)
            if let benchmarkCPUs {
                logger.info("agent threads kept off the benchmark CPUs", metadata: [
                    "benchmark_cpus": "\(CPUListParser.format(benchmarkCPUs))", "agent_cpus": "\(CPUListParser.format(CPUAffinity.current()))",
                ])
            }
            let runner = AgentRunner(
                credentials: creds, hardware: hardware, home: home,
                supervisor: WorkerSupervisor(command: WorkerCommandLine.current(), scratch: home.path("agents", name, "work"),
                                             memoryLimitMB: creds.profile?.workerMemoryLimitMB, benchmarkCPUs: benchmarkCPUs),
                logger: logger, exitWhenIdle: exitWhenIdle)
            // SIGTERM/SIGINT: hand the current job back, then exit 0.
            let stop = StopSignal()
            let signals = ShutdownSignals(stop)
            try await runner.run(stop: stop)
            withExtendedLifetime(signals) {}
        }
    }
}

/// How this executable starts a worker: itself, with the worker subcommand.
public enum WorkerCommandLine {
    /// Set by the executable's entry point: `["agent", "worker"]` for `roost`, `["worker"]` for `roost-agent`.
    public static func current() -> [String] {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let isStandalone = URL(fileURLWithPath: exe).lastPathComponent == "roost-agent"
        return [exe] + (isStandalone ? ["worker"] : ["agent", "worker"])
    }
}
