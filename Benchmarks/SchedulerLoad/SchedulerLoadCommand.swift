import ArgumentParser
import Foundation
import Logging
import RoostCore

/// `roost-bench-scheduler` (`make bench-scheduler`): N simulated agents long-poll
/// one real scheduler process for no-op jobs, in two phases — paced at the goal's
/// rate (lease latency at that load, measured from each lease's due time) and a
/// closed loop (the most leases per second) — and prints and writes the figures
/// as JSON. Bounded (2 × (warm-up + duration)) and self-cleaning: it stops the
/// scheduler and the PostgreSQL cluster it started.
@main
struct SchedulerLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roost-bench-scheduler",
        abstract: "Load-test the scheduler's lease path with simulated agents.")

    @Option(help: "Simulated agents (in-process tasks, one connection each).") var agents = 200
    @Option(help: "Seconds measured in each phase, after its warm-up.") var duration: Double = 15
    @Option(help: "Seconds of load before measuring, in each phase.") var warmup: Double = 3
    @Option(help: ArgumentHelp(
        "Leases per second the agents offer together in the paced phase (0: skip it).",
        discussion: "Each agent asks on a fixed schedule (one lease every agents ÷ rate seconds, at a random phase), and a lease's latency counts from when it was due."))
    var rate: Double = 2000
    @Option(help: "Jobs to queue (0: enough for both phases with room to spare).") var jobs = 0
    @Option(help: "Long-poll wait each lease request asks for, in seconds.") var waitSeconds: Double = 2
    @Option(help: ArgumentHelp(
        "Closed-loop phase: mean milliseconds each simulated agent spends on its no-op job before the result (uniform ±50 %; 0: none).",
        discussion: "With 0 the loop has no think time, so its lease latency is about agents ÷ throughput by Little's law: that phase measures throughput, the paced phase latency."))
    var jobMs: Double = 0
    @Flag(help: ArgumentHelp(
        "Upload each result on its own, then ask for the next lease (two requests per job).",
        discussion: "By default a simulated agent does what the real agent does: its result upload asks for the next job in the same exchange."))
    var separateResults = false
    @Option(help: "The roost binary (default: beside this one).") var roost: String?
    @Option(help: "Use this PostgreSQL instead of starting a private cluster (its data is left in place).") var databaseURL: String?
    @Option(help: "Port of the private PostgreSQL cluster.") var pgPort = 55462
    @Option(help: "Port of the scheduler (0: random).") var port = 0
    @Option(help: "The scheduler's ROOST_LOG_LEVEL (info logs a line per lease and per result, as in production).") var schedulerLogLevel = "info"
    @Option(help: "Where to write the results.") var out = "bench-scheduler-results.json"
    @Option(help: ArgumentHelp(
        "Also write every measured lease as CSV (phase, seconds into the window, latency ms) to this file.",
        discussion: "To see whether slow leases cluster in time (a stall) or spread evenly (queueing)."))
    var samples: String?

    func validate() throws {
        guard agents >= 1, agents <= 2000 else { throw ValidationError("--agents must be between 1 and 2000") }
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be between 0 and 600 seconds") }
        guard warmup >= 0, warmup <= 120 else { throw ValidationError("--warmup must be between 0 and 120 seconds") }
        guard jobs >= 0 else { throw ValidationError("--jobs must not be negative") }
        guard jobMs >= 0, jobMs <= 60_000 else { throw ValidationError("--job-ms must be between 0 and 60000") }
        guard rate >= 0, rate <= 100_000 else { throw ValidationError("--rate must be between 0 and 100000") }
        guard waitSeconds >= 0, waitSeconds <= 30 else { throw ValidationError("--wait-seconds must be between 0 and 30") }
        guard (0...65535).contains(port), (1...65535).contains(pgPort) else { throw ValidationError("ports must be between 1 and 65535") }
        if let samples {
            let folder = URL(fileURLWithPath: samples).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: folder) else { throw ValidationError("--samples: cannot write in \(folder)") }
        }
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
        let jobCount = jobs > 0 ? jobs : Int((6000 + rate * 1.5) * (warmup + duration)) + 10_000
        let schedulerPort = port != 0 ? port : Int.random(in: 20000..<30000)

        if let samples {
            // This run's samples only: the phases append to a fresh file.
            guard FileManager.default.createFile(atPath: samples, contents: Data("phase,at_s,latency_ms\n".utf8)) else {
                throw ValidationError("--samples: cannot create \(samples)")
            }
        }
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

        let resultBody = try ResultBody()
        var paced: LoadReport.Phase?
        if rate > 0 {
            note("paced phase: \(Int(rate)) leases/s offered, \(String(format: "%.0f", warmup)) s warm-up, then \(String(format: "%.0f", duration)) s measured")
            paced = await phase(enrolled, http: http, schedulerPort: schedulerPort, rate: rate, resultBody: resultBody)
        }
        note("closed-loop phase: \(String(format: "%.0f", warmup)) s warm-up, then \(String(format: "%.0f", duration)) s measured")
        let closed = await phase(enrolled, http: http, schedulerPort: schedulerPort, rate: nil, resultBody: resultBody)
        // Met: the loop sustains 2,000/s, and offered 2,000/s it kept up with p99 ≤ 20 ms.
        let met = closed.leasesPerSecond >= 2000
            && (paced.map { rate >= 2000 && $0.leasesPerSecond >= 0.99 * rate && $0.leaseLatencyMs.p99 <= 20 } ?? false)
        return LoadReport(
            agents: agents, warmupSeconds: warmup, durationSeconds: duration, jobsQueued: jobCount,
            results: separateResults ? "separate" : "with the next lease",
            paced: paced, closedLoop: closed,
            goal: .init(leasesPerSecond: 2000, p99Ms: 20, met: met),
            machine: .init(cpus: ProcessInfo.processInfo.activeProcessorCount,
                           note: "the simulated agents, the scheduler and PostgreSQL share these \(ProcessInfo.processInfo.activeProcessorCount) CPUs; the figures are for the whole loop on one machine, not the scheduler alone"))
    }

    /// One phase: every agent runs from now through warm-up and measurement.
    private func phase(_ enrolled: [LoadSeeder.Enrolled], http: LoadHTTP, schedulerPort: Int, rate: Double?, resultBody: ResultBody) async -> LoadReport.Phase {
        let before = try? await counters(http)
        let clock = ContinuousClock()
        let origin = clock.now
        let start = origin + .milliseconds(Int(warmup * 1000))
        let end = start + .milliseconds(Int(duration * 1000))
        // Paced: each agent once per period, at its own random phase, so the load arrives evenly.
        let periodNs = rate.map { Int64(Double(enrolled.count) / $0 * 1e9) }
        let tallies = await withTaskGroup(of: SimulatedAgent.Tally.self) { group in
            for agent in enrolled {
                let pace = periodNs.map {
                    SimulatedAgent.Pace(origin: origin, offset: .nanoseconds(Int64.random(in: 0..<max(1, $0))), period: .nanoseconds($0))
                }
                let sim = SimulatedAgent(name: agent.name, credential: agent.credential, host: "127.0.0.1", port: schedulerPort,
                                         waitSeconds: waitSeconds, jobMs: jobMs, pace: pace, separateResults: separateResults)
                group.addTask { await sim.run(resultBody: resultBody, measureFrom: start, until: end) }
            }
            var all: [SimulatedAgent.Tally] = []
            for await t in group { all.append(t) }
            return all
        }
        let leaseMs = tallies.flatMap(\.leaseMs)
        if let samples {
            let name = rate == nil ? "closed" : "paced"
            var csv = ""
            for t in tallies { for (at, ms) in zip(t.leaseAt, t.leaseMs) { csv += "\(name),\(String(format: "%.4f", at)),\(String(format: "%.3f", ms))\n" } }
            appendSamples(csv, to: samples)
        }
        var server: LoadReport.ServerFigures?
        if let before, let after = try? await counters(http) {
            func d(_ name: String) -> Double { (after[name] ?? 0) - (before[name] ?? 0) }
            let statements = d("roost_lease_query_duration_seconds_count"), requests = d("roost_lease_request_duration_seconds_count{outcome=\"leased\"}")
            server = .init(leasesGranted: d("roost_leases_granted_total"), leaseStatements: statements,
                           meanLeaseStatementMs: statements > 0 ? d("roost_lease_query_duration_seconds_sum") / statements * 1000 : 0,
                           meanLeaseBatch: statements > 0 ? d("roost_lease_batch_size_sum") / statements : 0,
                           meanLeaseRequestMs: requests > 0 ? d("roost_lease_request_duration_seconds_sum{outcome=\"leased\"}") / requests * 1000 : 0)
        }
        return LoadReport.Phase(
            offeredPerSecond: rate, jobMs: rate == nil ? jobMs : 0, leases: leaseMs.count, leasesPerSecond: Double(leaseMs.count) / duration,
            leaseLatencyMs: LatencySummary(leaseMs), resultLatencyMs: LatencySummary(tallies.flatMap(\.resultMs)),
            emptyPolls: tallies.map(\.emptyPolls).reduce(0, +), errors: tallies.map(\.errors).reduce(0, +),
            errorSamples: Array(tallies.flatMap(\.errorMessages).prefix(5)), server: server)
    }

    /// The scheduler's own counters from `/metrics`, by series (name and labels).
    private func counters(_ http: LoadHTTP) async throws -> [String: Double] {
        let reply = try await http.send("GET", "/metrics", credential: nil)
        var out: [String: Double] = [:]
        for line in String(decoding: reply.body, as: UTF8.self).split(separator: "\n") where line.hasPrefix("roost_") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }

    private func roostBinary() throws -> String {
        let path = roost ?? URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("roost").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("no roost binary at \(path); build it (swift build -c release --product roost) or pass --roost")
        }
        return path
    }

    private func appendSamples(_ csv: String, to path: String) {
        guard let handle = FileHandle(forWritingAtPath: path) else { return note("cannot write \(path)") }
        handle.seekToEndOfFile()
        handle.write(Data(csv.utf8))
        handle.closeFile()
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("roost-bench-scheduler: \(text)\n".utf8))
    }
}
