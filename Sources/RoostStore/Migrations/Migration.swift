import Foundation

/// One versioned schema change. Versions are applied in order, once, each in its
/// own transaction; an applied migration is never edited, only followed by a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    /// The extended query protocol takes one statement at a time; migrations are
    /// written with one statement per `;` line ending.
    public var statements: [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { stmt in stmt.split(separator: "\n").contains { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") && !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    public static let all: [Migration] = [.v1Initial, .v2ResultsView, .v3HarnessResults, .v4Reliability, .v5DashboardViews, .v6Health, .v7QueueOrder, .v8QueueVacuum, .v9QueueStatistics, .v10ModelVersions, .v11BenchmarkLabels, .v12ResultTries, .v13ScopedTokens, .v14OfflineBundles]
}
