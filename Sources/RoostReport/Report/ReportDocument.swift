import Foundation

/// The top level of `--format json`, for one model or for `--all`: always a
/// list, so consumers read both the same way. Its shape is `docs/report.schema.json`.
public struct ReportDocument: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning or disappears; additions keep it.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var generatedAt: Date
    public var reports: [ModelReport]

    public init(reports: [ModelReport], generatedAt: Date) {
        schemaVersion = Self.currentSchemaVersion
        self.generatedAt = generatedAt
        self.reports = reports
    }
}
