import ArgumentParser
import Foundation
import Logging
import RoostAgentCLI
import RoostClient
import RoostCore
import RoostONNX
import RoostReport
import RoostStore

/// `roost demo`: a whole local farm — PostgreSQL, a scheduler and two agents that
/// really differ (1 CPU vs 2) as separate processes — benchmarking the shipped
/// models, then the comparison report in `roost-report.md` and `.html`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run a local two-agent farm on the shipped models and write the report.")

    @Option(help: "Scheduler port (0 picks a free one).") var port = 0
    @Option(help: "Minimum timed seconds per job.") var minSeconds: Double = 2
    @Option(help: "Directory for roost-report.md and roost-report.html.") var out = "."
    @Option(name: .customLong("models"), help: "Also benchmark every NAME/model.onnx in this directory (e.g. ../shared/models); repeatable.")
    var modelDirectories: [String] = []

    func run() async throws {
        try await runReportingErrors { try await demo() }
    }

    private func demo() async throws {
        let home = RoostHome()
        try home.ensure()
        let logs = home.path("logs")
        let logger = Logger(label: "roost.demo")
        var children: [FarmProcess] = []
        var startedCluster: LocalCluster?
        defer {
            for c in children.reversed() { c.stop() }
            if let startedCluster { _ = try? startedCluster.stop() }
        }

        // 1. Database.
        let database: DatabaseURL
        if let env = ProcessInfo.processInfo.environment["DATABASE_URL"], !env.isEmpty {
            database = try DatabaseURL(parsing: env)
            say("using DATABASE_URL \(database)")
        } else {
            let cluster = LocalCluster(home: home)
            let wasRunning = cluster.runningPort != nil
            database = try await cluster.start(logger: logger)
            if !wasRunning { startedCluster = cluster }
            say("PostgreSQL at \(database)")
        }

        // 2. Scheduler, as its own process.
        let schedulerPort = port == 0 ? try FreePort.find() : port
        let schedulerURL = "http://127.0.0.1:\(schedulerPort)"
        children.append(try FarmProcess(
            name: "scheduler", arguments: ["scheduler", "serve", "--database-url", database.description, "--port", String(schedulerPort)],
            logDirectory: logs))
        try await waitForHealth(schedulerURL, scheduler: children[0])
        guard let adminToken = RoostHome.readTrimmed(home.adminTokenFile) else { throw RoostError.io("scheduler wrote no admin credential") }
        let admin = try RoostClient(scheduler: schedulerURL, credential: adminToken)
        say("scheduler at \(schedulerURL) (log: \(children[0].log.path))")
        say("dashboard: \(schedulerURL)/  (live while the demo runs)")

        // 3. Two agents that really differ: 1 CPU pinned by affinity vs 2 CPUs.
        for profile in DemoProfiles.all {
            let token = try await admin.createEnrollmentToken(ttlSeconds: 600).token
            let profileFile = try profile.materialize(home: home)
            try await FarmProcess.runToEnd(
                name: "enroll-\(profile.name)",
                arguments: ["agent", "enroll", "--scheduler", schedulerURL, "--token", token, "--name", profile.name, "--profile", profileFile.path],
                logDirectory: logs)
        }
        for a in try await admin.agents() where DemoProfiles.all.contains(where: { $0.name == a.name }) {
            say("agent \(a.name): \(a.hardware.summary) → target \(a.target.label)")
        }

        // 4. The shipped models, queued on every agent. Queuing compiles every
        // target and computes every reference, so it all happens here, before
        // any agent runs: no compile lands inside a benchmark's timed window.
        let modelDir = home.path("models")
        var models = try ReferenceSuite.write(to: modelDir)
        for dir in modelDirectories { models += try Self.models(in: URL(fileURLWithPath: dir)) }
        var queued: [(name: String, id: String)] = []
        for url in models {
            let name = url.deletingLastPathComponent().lastPathComponent
            let info = try await admin.uploadModel(try Data(contentsOf: url), name: name)
            if let reference = try ReferenceFiles.load(besideModel: url) { try await admin.uploadReference(reference, model: info.sha256) }
            let spec = BenchmarkSpec(profile: .quick, minSeconds: minSeconds)
            let status = try await admin.queueBenchmark(QueueBenchmarkRequest(modelSHA256: info.sha256, targets: "demo=true", spec: spec, engines: ["native", "onnxruntime"]))
            queued.append((name, status.benchmarkID))
            say("queued \(name) (\(info.sha256.prefix(12)), \(status.jobs.count) jobs): benchmark \(status.benchmarkID)")
        }

        // 5. Only now the agents, which benchmark one at a time under the host lock.
        say("compiled everything; starting the agents")
        for profile in DemoProfiles.all {
            children.append(try FarmProcess(name: "agent-\(profile.name)", arguments: ["agent", "run", "--name", profile.name, "--exit-when-idle", "600"], logDirectory: logs))
        }

        // 6. Progress until every job is done.
        var last = ""
        let deadline = Date().addingTimeInterval(1800)
        var finished: [BenchmarkStatus] = []
        while true {
            let statuses = try await queued.asyncMap { try await admin.benchmark(id: $0.id) }
            let line = statuses.map { "\($0.model.name) \($0.jobs.filter { BenchmarkStatus.terminalStates.contains($0.state) }.count)/\($0.jobs.count)" }.joined(separator: "  ")
            if line != last { say("progress: \(line)"); last = line }
            if statuses.allSatisfy(\.isFinished) { finished = statuses; break }
            for c in children where !c.isRunning { throw RoostError.io("\(c.name) exited unexpectedly; see \(c.log.path)") }
            guard Date() < deadline else { throw RoostError.io("the demo's jobs did not finish in 30 minutes") }
            // Every poll is work for the scheduler and PostgreSQL on the CPUs the
            // agents are timing; once per 5 s is enough for a progress line.
            try await Task.sleep(for: .seconds(5))
        }
        for s in finished { for j in s.jobs where j.state != "succeeded" { say("job \(j.jobID) of \(s.model.name) ended \(j.state): \(j.errorMessage ?? "")") } }

        // 7. The report.
        var reports: [ModelReport] = []
        for q in queued { reports.append(ReportBuilder.build(data: try await admin.reportData(model: q.name))) }
        let outDir = URL(fileURLWithPath: out)
        let md = ReportFormat.md.render(reports)
        try Data(md.utf8).write(to: outDir.appendingPathComponent("roost-report.md"))
        try Data(ReportFormat.html.render(reports).utf8).write(to: outDir.appendingPathComponent("roost-report.html"))
        print(md)
        let rows = reports.flatMap(\.rows)
        say("\(rows.filter(\.valid).count) of \(rows.count) results VALID; \(rows.filter { $0.tries > 1 }.count) needed a rerun (\(rows.map(\.tries).reduce(0, +)) runs in all)")
        say("wrote \(outDir.appendingPathComponent("roost-report.md").path) and roost-report.html")
        if finished.contains(where: { $0.jobs.contains { $0.state != "succeeded" } }) { throw RoostError.io("some jobs did not succeed") }
    }

    /// `DIR/NAME/model.onnx` for every NAME, sorted: the model-zoo layout of ../shared/models.
    static func models(in dir: URL) throws -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw RoostError.invalidArgument("--models \(dir.path): no such directory")
        }
        let found = names.sorted().map { dir.appendingPathComponent($0).appendingPathComponent("model.onnx") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        guard !found.isEmpty else { throw RoostError.invalidArgument("--models \(dir.path): no NAME/model.onnx inside") }
        return found
    }

    private func waitForHealth(_ url: String, scheduler: FarmProcess) async throws {
        let probe = try RoostClient(scheduler: url, credential: nil)
        for _ in 0..<300 {
            if (try? await probe.send("GET", "/health")) != nil { return }
            guard scheduler.isRunning else { throw RoostError.io("scheduler exited during start-up:\n\(scheduler.logTail)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RoostError.io("scheduler did not answer on \(url) within 30 s")
    }

    private func say(_ s: String) { FileHandle.standardError.write(Data("[demo] \(s)\n".utf8)) }
}

extension Array {
    func asyncMap<T>(_ body: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for e in self { out.append(try await body(e)) }
        return out
    }
}
