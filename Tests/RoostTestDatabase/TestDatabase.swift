import Foundation
import Logging
import RoostCore
import RoostStore
import Testing

/// The PostgreSQL cluster `make test` starts (scripts/with-test-postgres.sh).
public enum TestDatabase {
    /// The test cluster's URL, exported by `make test` (scripts/with-test-postgres.sh).
    public static let url: DatabaseURL? = {
        guard let s = ProcessInfo.processInfo.environment["ROOST_TEST_DATABASE_URL"] else { return nil }
        return try? DatabaseURL(parsing: s)
    }()

    public static var isAvailable: Bool { url != nil }
    public static let skipReason: Comment = "ROOST_TEST_DATABASE_URL is not set; run the tests with 'make test', which starts PostgreSQL"

    /// A fresh, empty database in the test cluster; dropped when `body` returns.
    public static func withFreshDatabase<T: Sendable>(_ body: @Sendable (DatabaseURL) async throws -> T) async throws -> T {
        guard let base = url else { throw RoostError.database("no test database") }
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

}
