import Foundation
import Logging
import RoostCore
import RoostStore

/// Where tests find what they need: the shared reference data, the test
/// PostgreSQL cluster (started by `make test`) and the built `roost` binary.
public enum TestEnvironment {
    /// The repository root (the directory holding Package.swift).
    public static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the clone (CI always has it; a user's clone may not).
    public static let sharedDirectory: URL? = {
        let env = ProcessInfo.processInfo.environment["ROOST_SHARED"].map { URL(fileURLWithPath: $0) }
        let candidate = env ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("models").path) ? candidate : nil
    }()

    public static var hasSharedModels: Bool { sharedDirectory != nil }
    public static let sharedSkipReason: Comment = "../shared/models is not present beside this clone; tests on the reference models are skipped"

    public static func sharedModel(_ name: String) -> URL? {
        sharedDirectory?.appendingPathComponent("models").appendingPathComponent(name)
    }

    /// The test cluster's URL, exported by `make test` (scripts/with-test-postgres.sh).
    public static let databaseURL: DatabaseURL? = {
        guard let s = ProcessInfo.processInfo.environment["ROOST_TEST_DATABASE_URL"] else { return nil }
        return try? DatabaseURL(parsing: s)
    }()

    public static var hasDatabase: Bool { databaseURL != nil }
    public static let databaseSkipReason: Comment = "ROOST_TEST_DATABASE_URL is not set; run the tests with 'make test', which starts PostgreSQL"

    /// A fresh, empty database in the test cluster; dropped when `body` returns.
    public static func withFreshDatabase<T: Sendable>(_ body: @Sendable (DatabaseURL) async throws -> T) async throws -> T {
        guard let base = databaseURL else { throw RoostError.database("no test database") }
        let url = base.with(database: "roost_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))
        let logger = Logger(label: "roost.test")
        try await LocalCluster.createDatabaseIfMissing(url, logger: logger)
        do {
            let result = try await body(url)
            try? await LocalCluster.dropDatabase(url, logger: logger)
            return result
        } catch {
            try? await LocalCluster.dropDatabase(url, logger: logger)
            throw error
        }
    }

    /// The `roost` executable under test.
    public static let roostBinary: URL = {
        if let env = ProcessInfo.processInfo.environment["ROOST_BIN"] { return URL(fileURLWithPath: env) }
        return packageRoot.appendingPathComponent(".build/debug/roost")
    }()

    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

import Testing
