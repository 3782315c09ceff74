import Foundation
import Logging
import PostgresNIO
import RoostCore

/// A private PostgreSQL cluster under `$ROOST_HOME/pg`, listening on 127.0.0.1
/// only — what `roost db start`, the demo and the tests use. PostgreSQL refuses
/// to run as root, so as root the cluster is owned by and run as `postgres`.
public struct LocalCluster: Sendable {
    public let home: RoostHome
    public let port: Int
    public static let defaultPort = 55432
    public static let user = "roost"
    public static let database = "roost"

    public init(home: RoostHome, port: Int = LocalCluster.defaultPort) {
        self.home = home
        self.port = port
    }

    var pgDir: URL { home.path("pg") }
    var dataDir: URL { pgDir.appendingPathComponent("data") }
    var logFile: URL { pgDir.appendingPathComponent("postgres.log") }

    public var url: DatabaseURL { DatabaseURL(host: "127.0.0.1", port: runningPort ?? port, user: Self.user, database: Self.database) }

    /// Port of the running postmaster, from line 4 of `postmaster.pid`.
    public var runningPort: Int? {
        guard let pid = try? String(contentsOf: dataDir.appendingPathComponent("postmaster.pid"), encoding: .utf8) else { return nil }
        let lines = pid.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 3, let pidNumber = Int32(lines[0]), kill(pidNumber, 0) == 0 || errno == EPERM else { return nil }
        return Int(lines[3])
    }

    /// Initializes the cluster if needed, starts it unless running, creates the
    /// `roost` database, and returns its URL.
    public func start(logger: Logger) async throws -> DatabaseURL {
        let tools = try PostgresTools.locate()
        let runAs = try RunAs.forPostgres()
        try home.ensure()
        try preparePGDirectory(runAs)
        if !FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("PG_VERSION").path) {
            let r = try runAs.run(tools.initdb, ["-D", dataDir.path, "-U", Self.user, "--auth=trust", "-E", "UTF8", "--no-locale"])
            guard r.succeeded else { throw RoostError.database("initdb failed: \(r.stderr)") }
        }
        if runningPort == nil {
            // Autovacuum looks at the database every 10 s instead of every minute: the
            // job queue's index head grows with every lease until a vacuum (see V8QueueVacuum).
            let options = "-c listen_addresses=127.0.0.1 -p \(port) -c unix_socket_directories='' -c max_connections=200 -c autovacuum_naptime=10s"
            let r = try runAs.run(tools.pgCtl, ["-D", dataDir.path, "-l", logFile.path, "-o", options, "-w", "-t", "60", "start"])
            guard r.succeeded else {
                let log = (try? String(contentsOf: logFile, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
                throw RoostError.database("pg_ctl start failed: \(r.stderr)\(r.stdout)\n\(log)")
            }
        }
        let url = self.url
        try await Self.createDatabaseIfMissing(url, logger: logger)
        try RoostHome.writeSecret(url.description + "\n", to: home.databaseURLFile)
        return url
    }

    /// Creates `$ROOST_HOME/pg` owned by the server user. When that user cannot
    /// reach it (a checkout under a private home directory, say), the cluster lives
    /// in /var/tmp instead and `$ROOST_HOME/pg` is a symlink to it.
    private func preparePGDirectory(_ runAs: RunAs) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: pgDir, withIntermediateDirectories: true)
        try runAs.takeOwnership(of: pgDir)
        if (try? runAs.checkAccess(pgDir)) != nil { return }
        let isLink = (try? fm.destinationOfSymbolicLink(atPath: pgDir.path)) != nil
        guard !isLink, (try? fm.contentsOfDirectory(atPath: pgDir.path))?.isEmpty == true else { try runAs.checkAccess(pgDir); return }
        let fallback = URL(fileURLWithPath: "/var/tmp/roost-pg-" + Digest.sha256Hex(of: pgDir.path).prefix(16))
        try fm.createDirectory(at: fallback, withIntermediateDirectories: true)
        try runAs.takeOwnership(of: fallback)
        try fm.removeItem(at: pgDir)
        try fm.createSymbolicLink(at: pgDir, withDestinationURL: fallback)
        try runAs.checkAccess(pgDir)
    }

    public func stop() throws -> Bool {
        guard runningPort != nil else { return false }
        let tools = try PostgresTools.locate()
        let r = try RunAs.forPostgres().run(tools.pgCtl, ["-D", dataDir.path, "-m", "fast", "-w", "stop"])
        guard r.succeeded else { throw RoostError.database("pg_ctl stop failed: \(r.stderr)") }
        return true
    }

    /// Creates `url.database` by connecting to the maintenance database.
    public static func createDatabaseIfMissing(_ url: DatabaseURL, logger: Logger) async throws {
        let name = url.database
        try await PostgresStore.with(url.with(database: "postgres"), logger: logger) { store in
            let rows = try await store.client.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
            var exists = false
            for try await _ in rows.decode(Int.self) { exists = true }
            guard !exists else { return }
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw RoostError.invalidArgument("database name '\(name)' must be letters, digits and underscores")
            }
            try await store.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
    }

    public static func dropDatabase(_ url: DatabaseURL, logger: Logger) async throws {
        let name = url.database
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return }
        try await PostgresStore.with(url.with(database: "postgres"), logger: logger) { store in
            _ = try await store.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }
}

/// Where the PostgreSQL server binaries are.
struct PostgresTools {
    var initdb: String
    var pgCtl: String

    static func locate() throws -> PostgresTools {
        var dirs: [String] = []
        if let env = ProcessInfo.processInfo.environment["ROOST_PG_BIN"] { dirs.append(env) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        dirs += versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/initdb") {
            return PostgresTools(initdb: dir + "/initdb", pgCtl: dir + "/pg_ctl")
        }
        if let initdb = ProcessRunner.which("initdb"), let pgCtl = ProcessRunner.which("pg_ctl") {
            return PostgresTools(initdb: initdb, pgCtl: pgCtl)
        }
        throw RoostError.database("PostgreSQL server binaries not found (install postgresql-15, or set ROOST_PG_BIN)")
    }
}

/// Runs PostgreSQL tools as the current user, or as `postgres` when we are root.
struct RunAs {
    var user: String?
    var uid: uid_t = 0
    var gid: gid_t = 0

    static func forPostgres() throws -> RunAs {
        guard geteuid() == 0 else { return RunAs(user: nil) }
        guard let pw = getpwnam("postgres") else {
            throw RoostError.database("running as root and there is no 'postgres' user to run PostgreSQL as (install postgresql-15)")
        }
        return RunAs(user: "postgres", uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid)
    }

    func run(_ tool: String, _ args: [String]) throws -> ProcessRunner.Output {
        guard let user else { return try ProcessRunner().run(tool, args) }
        let runuser = ProcessRunner.which("runuser") ?? "/usr/sbin/runuser"
        return try ProcessRunner().run(runuser, ["-u", user, "--", tool] + args, currentDirectory: URL(fileURLWithPath: "/"))
    }

    func takeOwnership(of dir: URL) throws {
        guard user != nil else { return }
        guard chown(dir.path, uid, gid) == 0 else { throw RoostError.io("cannot chown \(dir.path) to postgres") }
        chmod(dir.path, 0o700)
    }

    /// The server user must be able to reach the data directory through every parent.
    func checkAccess(_ dir: URL) throws {
        guard user != nil else { return }
        let r = try run("/usr/bin/test", ["-w", dir.path])
        guard r.succeeded else {
            throw RoostError.database("the 'postgres' user cannot reach \(dir.path); make its parent directories world-executable (chmod o+x) or set ROOST_HOME elsewhere")
        }
    }
}
