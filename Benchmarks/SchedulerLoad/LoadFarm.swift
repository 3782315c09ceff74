import Foundation
import Logging
import RoostCore
import RoostStore

/// What the benchmark runs against: a private PostgreSQL cluster (unless a
/// database URL was given) and a real `roost scheduler serve` process, both in
/// a temporary `ROOST_HOME` that `stop()` removes with everything it started.
final class LoadFarm: @unchecked Sendable {
    let home: URL
    let roost: String
    let database: DatabaseURL
    let scheduler: URL
    let schedulerLog: URL
    private let ownsCluster: Bool
    private var schedulerProcess: ChildProcess?

    private init(roost: String, home: URL, database: DatabaseURL, ownsCluster: Bool, port: Int) {
        self.roost = roost
        self.home = home
        self.database = database
        self.ownsCluster = ownsCluster
        schedulerLog = home.appendingPathComponent("scheduler.log")
        scheduler = URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Starts the cluster (unless `databaseURL` is given) and the scheduler; on
    /// failure, stops whatever had started.
    static func start(roost: String, databaseURL: String?, pgPort: Int, port: Int, logLevel: String) async throws -> LoadFarm {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("roost-bench-scheduler-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // PostgreSQL runs as 'postgres' when we are root and must reach the cluster directory.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home.path)
        let database: DatabaseURL
        do {
            if let databaseURL {
                database = try DatabaseURL(parsing: databaseURL)
            } else {
                let out = try ProcessRunner().run(roost, ["db", "start", "--port", String(pgPort)], environment: environment(home, logLevel: logLevel), timeout: 120)
                guard out.succeeded, let line = out.stdout.split(separator: "\n").first(where: { $0.hasPrefix("DATABASE_URL=") }) else {
                    try? FileManager.default.removeItem(at: home)
                    throw RoostError.database("roost db start failed: \(out.stderr)\(out.stdout)")
                }
                database = try DatabaseURL(parsing: String(line.dropFirst("DATABASE_URL=".count)))
            }
        } catch {
            try? FileManager.default.removeItem(at: home)
            throw error
        }
        let farm = LoadFarm(roost: roost, home: home, database: database, ownsCluster: databaseURL == nil, port: port)
        do {
            farm.schedulerProcess = try ChildProcess(roost, ["scheduler", "serve", "--database-url", database.description, "--port", String(port)],
                                                     environment: environment(home, logLevel: logLevel), stdout: farm.schedulerLog, stderr: farm.schedulerLog)
            try await farm.waitForHealth()
        } catch {
            farm.stop()
            throw error
        }
        return farm
    }

    var adminToken: String {
        get throws {
            guard let token = RoostHome.readTrimmed(RoostHome(path: home.path).adminTokenFile), !token.isEmpty else {
                throw RoostError.io("the scheduler wrote no admin token under \(home.path)")
            }
            return token
        }
    }

    var schedulerPID: pid_t? { schedulerProcess?.pid }

    private func waitForHealth() async throws {
        let http = LoadHTTP(base: scheduler, connections: 2)
        for _ in 0..<300 {
            if let reply = try? await http.send("GET", "/health", credential: nil), reply.status == 200 { return }
            if let exit = schedulerProcess?.poll() {
                throw RoostError.io("the scheduler exited (\(exit)) before serving:\n\(tail(schedulerLog))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RoostError.io("the scheduler did not answer /health within 30 s:\n\(tail(schedulerLog))")
    }

    /// Stops the scheduler, then the cluster if this farm started it, and removes the home.
    func stop() {
        schedulerProcess?.stop()
        schedulerProcess = nil
        if ownsCluster {
            _ = try? ProcessRunner().run(roost, ["db", "stop"], environment: Self.environment(home, logLevel: "error"), timeout: 60)
        }
        try? FileManager.default.removeItem(at: home)
    }

    func tail(_ file: URL, lines: Int = 30) -> String {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    private static func environment(_ home: URL, logLevel: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["ROOST_HOME"] = home.path
        env["ROOST_LOG_LEVEL"] = logLevel
        env.removeValue(forKey: "DATABASE_URL")
        return env
    }
}
