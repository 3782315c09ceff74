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

    /// Starts `roost scheduler serve` on a random loopback port and waits for `/health`.
    init(databaseURL: String, prefix: String) async throws {
        home = try TestEnvironment.temporaryDirectory(prefix)
        let port = 18000 + Int.random(in: 0..<2000)
        scheduler = "http://127.0.0.1:\(port)"
        processes.append(try RoostProcess(["scheduler", "serve", "--database-url", databaseURL, "--port", String(port)], home: home))
        let probe = try RoostClient(scheduler: scheduler, credential: nil)
        for _ in 0..<300 {
            if (try? await probe.send("GET", "/health")) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = processes[0].log
        stop()
        throw RoostError.io("scheduler did not start: \(log)")
    }

    /// Creates a one-time token, enrolls `name` with `profileJSON`, and starts `roost agent run`.
    @discardableResult
    func addAgent(_ name: String, profileJSON: String, extraArguments: [String] = []) throws -> RoostProcess {
        let token = try roost(["token", "create", "--enroll", "--expires", "10m", "--scheduler", scheduler])
        guard token.status == 0 else { throw RoostError.io("token create failed: \(token.stderr)") }
        let profile = home.appendingPathComponent("\(name).json")
        try Data(profileJSON.utf8).write(to: profile)
        let enroll = try roost(["agent", "enroll", "--scheduler", scheduler, "--token", token.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                "--name", name, "--profile", profile.path] + extraArguments)
        guard enroll.status == 0 else { throw RoostError.io("enroll \(name) failed: \(enroll.stderr)") }
        let agent = try RoostProcess(["agent", "run", "--name", name, "--exit-when-idle", "300"], home: home)
        processes.append(agent)
        agents[name] = agent
        return agent
    }

    func agent(_ name: String) -> RoostProcess? { agents[name] }

    /// Runs a `roost` command against this farm's home to completion.
    func roost(_ arguments: [String], timeout: Double = 300) throws -> ProcessRunner.Output {
        try RoostProcess.run(arguments, home: home, timeout: timeout)
    }

    /// `roost bench queue MODEL --wait --json`, decoded.
    func queueAndWait(_ model: URL, _ options: [String], timeout: Double = 600) throws -> (ProcessRunner.Output, BenchmarkStatus?) {
        let out = try roost(["bench", "queue", model.path, "--wait", "--json", "--scheduler", scheduler] + options, timeout: timeout)
        return (out, try? RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(out.stdout.utf8)))
    }

    var logs: String { processes.map(\.log).joined(separator: "\n---\n") }

    func stop() {
        for p in processes { p.stop() }
        try? FileManager.default.removeItem(at: home)
    }
}
