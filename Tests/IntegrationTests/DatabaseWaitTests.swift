import Foundation
import Testing
import RoostClient
import RoostCore
import RoostTestDatabase
import RoostTestSupport

/// A scheduler started before its database (a host booting both, PostgreSQL
/// restarting) waits for it instead of exiting; told not to wait, it fails
/// at once with a message that says what to do.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct DatabaseWaitTests {
    @Test func aSchedulerStartedBeforePostgreSQLServesOnceItIsUp() async throws {
        let pg = try PrivateCluster()
        defer { pg.stop() }
        try pg.down()
        let home = try TestEnvironment.temporaryDirectory("roost-dbwait")
        defer { try? FileManager.default.removeItem(at: home) }

        let impatient = try RoostProcess(["scheduler", "serve", "--database-url", pg.url, "--port", String(try FreePort.find()),
                                          "--database-wait-seconds", "0"], home: home)
        let exit = await impatient.child.exit(within: 30)
        #expect(exit != nil && exit != .exited(0), "\(String(describing: exit))")
        #expect(impatient.log.contains("is PostgreSQL running"), "\(impatient.log)")

        let port = try FreePort.find()
        let scheduler = try RoostProcess(["scheduler", "serve", "--database-url", pg.url, "--port", String(port)], home: home)
        defer { scheduler.stop() }
        let deadline = Date().addingTimeInterval(30)
        while !scheduler.log.contains("waiting for PostgreSQL"), scheduler.child.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(scheduler.log.contains("waiting for PostgreSQL"), "\(scheduler.log)")
        try await Task.sleep(for: .seconds(2))  // and it keeps waiting
        #expect(scheduler.child.isRunning, "\(scheduler.log)")

        try pg.up()
        let probe = try RoostClient(scheduler: "http://127.0.0.1:\(port)", credential: nil)
        var healthy = false
        for _ in 0..<300 where !healthy {
            healthy = (try? await probe.send("GET", "/health")) != nil
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(healthy, "\(scheduler.log)")
    }
}
