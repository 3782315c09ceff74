import Foundation
import RoostCore
import RoostTestSupport

/// A PostgreSQL cluster of one test's own (`roost db start` in a temporary
/// ROOST_HOME on a free port), for tests that stop and restart the database:
/// restarting the shared test cluster would break the tests running beside them.
final class PrivateCluster: @unchecked Sendable {
    let home: URL
    let port: Int
    let url: String

    /// Initializes and starts the cluster (a few seconds: initdb).
    init() throws {
        home = try TestEnvironment.temporaryDirectory("roost-pg")
        chmod(home.path, 0o755) // PostgreSQL runs as 'postgres' when we are root and must reach it
        port = try FreePort.find()
        let out = try RoostProcess.run(["db", "start", "--port", String(port)], home: home, timeout: 120)
        guard out.status == 0, let line = out.stdout.split(separator: "\n").first(where: { $0.hasPrefix("DATABASE_URL=") }) else {
            try? FileManager.default.removeItem(at: home)
            throw RoostError.database("private cluster did not start: \(out.stderr)\(out.stdout)")
        }
        url = String(line.dropFirst("DATABASE_URL=".count))
    }

    /// `roost db stop` then `roost db start` on the same home and port; returns
    /// how long the database was down.
    @discardableResult
    func restart(downFor seconds: Double = 1) throws -> Double {
        let began = Date()
        let stop = try RoostProcess.run(["db", "stop"], home: home, timeout: 60)
        guard stop.status == 0 else { throw RoostError.database("db stop failed: \(stop.stderr)") }
        Thread.sleep(forTimeInterval: seconds)
        let start = try RoostProcess.run(["db", "start", "--port", String(port)], home: home, timeout: 120)
        guard start.status == 0 else { throw RoostError.database("db start failed: \(start.stderr)") }
        return Date().timeIntervalSince(began)
    }

    /// Stops the server, keeping the cluster for `up()`.
    func down() throws {
        let stop = try RoostProcess.run(["db", "stop"], home: home, timeout: 60)
        guard stop.status == 0 else { throw RoostError.database("db stop failed: \(stop.stderr)") }
    }

    /// Starts the server again on the same port.
    func up() throws {
        let start = try RoostProcess.run(["db", "start", "--port", String(port)], home: home, timeout: 120)
        guard start.status == 0 else { throw RoostError.database("db start failed: \(start.stderr)") }
    }

    func stop() {
        _ = try? RoostProcess.run(["db", "stop"], home: home, timeout: 60)
        try? FileManager.default.removeItem(at: home)
    }
}
