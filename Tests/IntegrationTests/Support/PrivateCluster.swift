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
        port = try Self.freePort()
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

    func stop() {
        _ = try? RoostProcess.run(["db", "stop"], home: home, timeout: 60)
        try? FileManager.default.removeItem(at: home)
    }

    /// A loopback TCP port nobody listens on now (the kernel's choice).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RoostError.io("socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw RoostError.io("cannot find a free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
