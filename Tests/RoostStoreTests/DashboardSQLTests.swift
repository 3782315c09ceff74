import Foundation
import Logging
import PostgresNIO
import Testing
import RoostTestDatabase
import RoostTestSupport
@testable import RoostStore

/// Every Grafana panel's SQL must run against the schema the migrations create.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct DashboardSQLTests {
    /// All `rawSql` strings of the dashboards, with Grafana macros replaced by SQL.
    static func panelQueries() throws -> [(String, String)] {
        let dir = TestEnvironment.packageRoot.appendingPathComponent("Dashboards")
        var out: [(String, String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".json") {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(file)))
            collect(json, file: file, into: &out)
        }
        return out.map { file, sql in
            let bound = sql.replacingOccurrences(of: "$model", with: "any-model")
                .replacingOccurrences(of: #"\$__timeFilter\(([a-z_]+)\)"#, with: "$1 > now() - interval '1 day'", options: .regularExpression)
            return (file, bound)
        }
    }

    static func collect(_ node: Any, file: String, into out: inout [(String, String)]) {
        if let dict = node as? [String: Any] {
            if let sql = dict["rawSql"] as? String { out.append((file, sql)) }
            if let query = dict["query"] as? String, query.uppercased().hasPrefix("SELECT") { out.append((file, query)) }
            for v in dict.values { collect(v, file: file, into: &out) }
        } else if let array = node as? [Any] {
            for v in array { collect(v, file: file, into: &out) }
        }
    }

    @Test func everyPanelQueryRuns() async throws {
        let queries = try Self.panelQueries()
        #expect(queries.count >= 11)
        // Panels read the versioned views only, never the tables they are built on.
        let table = try Regex(#"(?i)\b(from|join)\s+(results|jobs|agents|benchmarks|models|artifacts)\b"#)
        for (file, sql) in queries {
            #expect(sql.contains("roost_") && sql.firstMatch(of: table) == nil, "\(file) reads a table, not a view: \(sql)")
        }
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: Logger(label: "roost.test"), migrate: true) { store in
                for (file, sql) in queries {
                    do { try await store.client.query(PostgresQuery(unsafeSQL: sql)) } catch {
                        Issue.record("\(file): \(String(reflecting: error))\n\(sql)")
                    }
                }
            }
        }
    }
}
