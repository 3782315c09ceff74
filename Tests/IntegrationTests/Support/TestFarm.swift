import Foundation
import Testing
import RoostClient
import RoostCore
import RoostTestSupport

/// A scheduler and enrolled agents as real `roost` processes on loopback, for one
/// test: the same commands an operator types, nothing in-process.
final class TestFarm: @unchecked Sendable {
    let home: URL
    let scheduler: String
    private(set) var processes: [RoostProcess] = []
    private var agents: [String: RoostProcess] = [:]

    let databaseURL: String
    let port: Int
    let schedulerArguments: [String]
    /// The scheduler process now serving (a restart replaces it).
    private(set) var schedulerProcess: RoostProcess?
    /// The farm's throwaway PKI when its scheduler serves https; nil for plain http.
    let tls: TestCertificates?

    /// `--ca-cert CA` for the CLI against this farm (https); nothing for plain http.
    var clientArguments: [String] { tls.map { ["--ca-cert", $0.caCertificate.path] } ?? [] }

    /// Starts `roost scheduler serve` on a random loopback port and waits for `/health`.
    /// `tls`: serve https (`--tls-cert/--tls-key`) with a certificate from a CA made
    /// for this farm; every client here then trusts that CA with `--ca-cert`.
    init(databaseURL: String, prefix: String, schedulerArguments: [String] = [], tls: Bool = false) async throws {
        home = try TestEnvironment.temporaryDirectory(prefix)
        port = 18000 + Int.random(in: 0..<2000)
        self.databaseURL = databaseURL
        self.schedulerArguments = schedulerArguments
        do { self.tls = tls ? try TestCertificates.make(in: home.appendingPathComponent("tls")) : nil } catch {
            try? FileManager.default.removeItem(at: home)
            throw error
        }
        scheduler = Self.url(port: port, tls: tls)
        do { try await startScheduler() } catch {
            stop()
            throw error
        }
    }

    /// (Re)starts the scheduler on this farm's port and database; waits for `/health`.
    func startScheduler() async throws {
        schedulerProcess = try await launchScheduler(port: port)
    }

    /// Starts a scheduler on `port` with this farm's database, home and arguments
    /// (a second scheduler beside the first, or a restart); waits for `/health`.
    @discardableResult
    func launchScheduler(port: Int) async throws -> RoostProcess {
        let serveTLS = tls.map { ["--tls-cert", $0.serverCertificate.path, "--tls-key", $0.serverKey.path] } ?? []
        let process = try RoostProcess(["scheduler", "serve", "--database-url", databaseURL, "--port", String(port)] + serveTLS + schedulerArguments,
                                       home: home)
        processes.append(process)
        let probe = try client(Self.url(port: port, tls: tls != nil), credential: nil)
        for _ in 0..<300 {
            if (try? await probe.send("GET", "/health")) != nil { return process }
            if !process.child.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RoostError.io("scheduler did not start: \(process.log)")
    }

    static func url(port: Int, tls: Bool) -> String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    /// A client for `url` that trusts this farm's CA when it serves https.
    func client(_ url: String? = nil, credential: String?) throws -> RoostClient {
        try RoostClient(scheduler: url ?? scheduler, credential: credential, caCertificate: tls?.caCertificate.path)
    }

    /// Stops the scheduler process (SIGTERM, then SIGKILL); agents keep running.
    func stopScheduler() {
        schedulerProcess?.stop()
        schedulerProcess = nil
    }

    /// Creates a one-time token, enrolls `name` with `profileJSON`, and starts `roost agent run`;
    @discardableResult
    /// `via` enrolls through another scheduler (the agent then talks to that one).
    func addAgent(_ name: String, profileJSON: String, extraArguments: [String] = [], via: String? = nil) throws -> RoostProcess {
        let token = try roost(["token", "create", "--enroll", "--expires", "10m", "--scheduler", scheduler] + clientArguments)
        guard token.status == 0 else { throw RoostError.io("token create failed: \(token.stderr)") }
        let profile = home.appendingPathComponent("\(name).json")
        try Data(profileJSON.utf8).write(to: profile)
        let enroll = try roost(["agent", "enroll", "--scheduler", via ?? scheduler, "--token", token.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                "--name", name, "--profile", profile.path] + clientArguments + extraArguments)
        guard enroll.status == 0 else { throw RoostError.io("enroll \(name) failed: \(enroll.stderr)") }
        return try startAgent(name)
    }

    /// Starts `roost agent run` for an enrolled agent (again, after it stopped).
    @discardableResult
    func startAgent(_ name: String) throws -> RoostProcess {
        let agent = try RoostProcess(["agent", "run", "--name", name, "--exit-when-idle", "300"], home: home)
        processes.append(agent)
        agents[name] = agent
        return agent
    }

    func agent(_ name: String) -> RoostProcess? { agents[name] }

    /// A client with the admin credential, and one for an agent enrolled through
    /// the API (no agent process): for tests that speak the agent protocol themselves.
    func apiClients(enrolling name: String, hardware: HardwareProfile) async throws -> (admin: RoostClient, agent: RoostClient) {
        let adminToken = try #require(RoostHome.readTrimmed(home.appendingPathComponent("admin.token")))
        let admin = try client(credential: adminToken)
        let token = try await admin.createEnrollmentToken(ttlSeconds: 60).token
        let enrolled = try await client(credential: nil)
            .enroll(EnrollRequest(token: token, name: name, tags: [:], hardware: hardware, profile: nil))
        return (admin, try client(credential: enrolled.credential))
    }

    /// Runs a `roost` command against this farm's home to completion.
    func roost(_ arguments: [String], timeout: Double = 300, environment: [String: String] = [:]) throws -> ProcessRunner.Output {
        try RoostProcess.run(arguments, home: home, timeout: timeout, extraEnvironment: environment)
    }

    /// `roost bench queue MODEL --wait --json`, decoded.
    func queueAndWait(_ model: URL, _ options: [String], timeout: Double = 600) throws -> (ProcessRunner.Output, BenchmarkStatus?) {
        // A queue request takes seconds; one not answered in 40 s is the rare stall
        // of docs/known-issues.md: take every process's stacks while it lasts.
        let queuedBefore = schedulerProcess.map { $0.log.components(separatedBy: "benchmark queued").count } ?? 0
        let watchdog = DispatchWorkItem { [self] in
            guard let s = schedulerProcess, s.log.components(separatedBy: "benchmark queued").count == queuedBefore else { return }
            appendStacks(reason: "queue request unanswered after 40 s")
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 40, execute: watchdog)
        let out = try roost(["bench", "queue", model.path, "--wait", "--json", "--scheduler", scheduler] + clientArguments + options, timeout: timeout)
        watchdog.cancel()
        return (out, try? RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(out.stdout.utf8)))
    }

    /// `roost bench status ID --json`, decoded.
    func status(_ id: String) throws -> BenchmarkStatus {
        let out = try roost(["bench", "status", id, "--json", "--scheduler", scheduler] + clientArguments, timeout: 60)
        guard out.status == 0 else { throw RoostError.io("bench status failed: \(out.stderr)") }
        return try RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(out.stdout.utf8))
    }

    /// Polls `bench status` until `condition` holds for the benchmark; throws with the logs on timeout.
    @discardableResult
    func waitFor(_ id: String, timeout: Double = 120, _ what: String, _ condition: (BenchmarkStatus) -> Bool) async throws -> BenchmarkStatus {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = try? status(id), condition(s) { return s }
            try await Task.sleep(for: .milliseconds(250))
        }
        appendStacks(reason: "timed out waiting for \(what)")
        throw RoostError.io("timed out waiting for \(what)\n\((try? status(id)).map { CanonicalJSON.pretty($0) } ?? "")\n\(logs)")
    }

    /// Every live farm process's stacks into its log (see `RoostProcess.appendStacks`).
    func appendStacks(reason: String) {
        for p in processes { p.appendStacks(reason: reason) }
    }

    var logs: String { processes.map(\.log).joined(separator: "\n---\n") }

    func stop() {
        for p in processes { p.stop() }
        try? FileManager.default.removeItem(at: home)
    }
}
