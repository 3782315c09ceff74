import ArgumentParser
import Foundation
import Logging
import RoostCore

/// `roost-bench-scheduler` (`make bench-scheduler`): N simulated agents long-poll
/// one real scheduler process for no-op jobs; prints leases per second and lease
/// latency percentiles and writes them as JSON. Bounded (warm-up + duration) and
/// self-cleaning: it stops the scheduler and the PostgreSQL cluster it started.
@main
struct SchedulerLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roost-bench-scheduler",
        abstract: "Load-test the scheduler's lease path with simulated agents.")

    @Option(help: "Simulated agents (in-process tasks, one connection each).") var agents = 200
    @Option(help: "Seconds measured after the warm-up.") var duration: Double = 20
    @Option(help: "Seconds of load before measuring.") var warmup: Double = 3
    @Option(help: "Jobs to queue (0: enough for 6,000 leases/s over the whole run).") var jobs = 0
    @Option(help: "Long-poll wait each lease request asks for, in seconds.") var waitSeconds: Double = 2
    @Option(help: ArgumentHelp(
        "Mean milliseconds each simulated agent spends on its no-op job before the result (uniform ±50 %; 0: none).",
        discussion: "With 0 the loop is closed with no think time, so the lease latency is about agents ÷ throughput by Little's law; a job time offers a bounded load (at most agents ÷ job time) and shows the latency below saturation."))
    var jobMs: Double = 0
    @Option(help: "The roost binary (default: beside this one).") var roost: String?
    @Option(help: "Use this PostgreSQL instead of starting a private cluster (its data is left in place).") var databaseURL: String?
    @Option(help: "Port of the private PostgreSQL cluster.") var pgPort = 55462
    @Option(help: "Port of the scheduler (0: random).") var port = 0
    @Option(help: "The scheduler's ROOST_LOG_LEVEL (info logs a line per lease and per result, as in production).") var schedulerLogLevel = "info"
    @Option(help: "Where to write the results.") var out = "bench-scheduler-results.json"

    func validate() throws {
        guard agents >= 1, agents <= 2000 else { throw ValidationError("--agents must be between 1 and 2000") }
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be between 0 and 600 seconds") }
        guard warmup >= 0, warmup <= 120 else { throw ValidationError("--warmup must be between 0 and 120 seconds") }
        guard jobs >= 0 else { throw ValidationError("--jobs must not be negative") }
        guard jobMs >= 0, jobMs <= 60_000 else { throw ValidationError("--job-ms must be between 0 and 60000") }
        guard waitSeconds >= 0, waitSeconds <= 30 else { throw ValidationError("--wait-seconds must be between 0 and 30") }
        guard (0...65535).contains(port), (1...65535).contains(pgPort) else { throw ValidationError("ports must be between 1 and 65535") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["ROOST_LOG_LEVEL"] ?? "warning") ?? .warning
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "roost.bench-scheduler")
        let binary = try roostBinary()
        let jobCount = jobs > 0 ? jobs : Int(6000 * (warmup + duration)) + 10_000
        let schedulerPort = port != 0 ? port : Int.random(in: 20000..<30000)

        note("starting PostgreSQL and the scheduler (\(binary))")
        let farm = try await LoadFarm.start(roost: binary, databaseURL: databaseURL, pgPort: pgPort, port: schedulerPort, logLevel: schedulerLogLevel)
        do {
            let report = try await measure(farm, jobCount: jobCount, schedulerPort: schedulerPort, logger: logger)
            farm.stop()
            try RoostJSON.encoder(pretty: true).encode(report).write(to: URL(fileURLWithPath: out))
            print(report.summary)
            print("wrote \(out)")
        } catch {
            note("scheduler log tail:\n\(farm.tail(farm.schedulerLog))")
            farm.stop()
            throw error
        }
    }

    private func measure(_ farm: LoadFarm, jobCount: Int, schedulerPort: Int, logger: Logger) async throws -> LoadReport {
        let http = LoadHTTP(base: farm.scheduler, connections: 16)
        let seeder = LoadSeeder(http: http, database: farm.database, adminToken: try farm.adminToken)
        note("enrolling \(agents) agents")
        let enrolled = try await seeder.enroll(agents)
        note("queueing \(jobCount) no-op jobs")
        try await seeder.queueJobs(jobCount, logger: logger)

        note("load: \(String(format: "%.0f", warmup)) s warm-up, then \(String(format: "%.0f", duration)) s measured")
        let resultBody = try ResultBody()
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(Int(warmup * 1000))
        let end = start + .milliseconds(Int(duration * 1000))
        let tallies = await withTaskGroup(of: SimulatedAgent.Tally.self) { group in
            for agent in enrolled {
                let sim = SimulatedAgent(name: agent.name, credential: agent.credential, host: "127.0.0.1", port: schedulerPort, waitSeconds: waitSeconds, jobMs: jobMs)
                group.addTask { await sim.run(resultBody: resultBody, measureFrom: start, until: end) }
            }
            var all: [SimulatedAgent.Tally] = []
            for await t in group { all.append(t) }
            return all
        }
        let leaseMs = tallies.flatMap(\.leaseMs)
        let lease = LatencySummary(leaseMs)
        let perSecond = Double(leaseMs.count) / duration
        let goal = LoadReport.Goal(leasesPerSecond: 2000, p99Ms: 20, met: perSecond >= 2000 && lease.p99 <= 20)
        return LoadReport(
            agents: agents, jobMs: jobMs, warmupSeconds: warmup, durationSeconds: duration, jobsQueued: jobCount,
            leases: leaseMs.count, leasesPerSecond: perSecond, leaseLatencyMs: lease,
            resultLatencyMs: LatencySummary(tallies.flatMap(\.resultMs)),
            emptyPolls: tallies.map(\.emptyPolls).reduce(0, +), errors: tallies.map(\.errors).reduce(0, +),
            errorSamples: Array(tallies.flatMap(\.errorMessages).prefix(5)),
            server: try? await serverFigures(http),
            goal: goal,
            machine: .init(cpus: ProcessInfo.processInfo.activeProcessorCount,
                           note: "the simulated agents, the scheduler and PostgreSQL share these \(ProcessInfo.processInfo.activeProcessorCount) CPUs; the figures are for the whole loop on one machine, not the scheduler alone"))
    }

    /// Reads the scheduler's own counters from `/metrics`.
    private func serverFigures(_ http: LoadHTTP) async throws -> LoadReport.ServerFigures {
        let reply = try await http.send("GET", "/metrics", credential: nil)
        let text = String(decoding: reply.body, as: UTF8.self)
        func value(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
                return Double(line.split(separator: " ").last ?? "") ?? 0
            }
            return 0
        }
        let count = value("roost_lease_query_duration_seconds_count")
        return .init(leasesGranted: value("roost_leases_granted_total"),
                     meanLeaseQueryMs: count > 0 ? value("roost_lease_query_duration_seconds_sum") / count * 1000 : 0,
                     leaseQueries: count)
    }

    private func roostBinary() throws -> String {
        let path = roost ?? URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("roost").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("no roost binary at \(path); build it (swift build -c release --product roost) or pass --roost")
        }
        return path
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("roost-bench-scheduler: \(text)\n".utf8))
    }
}
