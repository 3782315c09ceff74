import Foundation

/// `POST /v1/bundles`: create a benchmark's jobs for boards without network
/// and return them as one bundle file. Like `QueueBenchmarkRequest`, plus the
/// boards it is for.
public struct BundleExportRequest: Codable, Sendable {
    public var modelSHA256: String
    /// Which boards to plan for; see `TargetSelector`. Matched against `boards`
    /// when given, else against the scheduler's known agents in any state (a
    /// board enrolled before it went offline).
    public var targets: String
    public var spec: BenchmarkSpec
    public var engines: [String]?
    public var labels: [String: String]?
    /// Offline boards described by their probed hardware (`roost agent probe --json` on the board).
    public var boards: [OfflineBoard]?
    public init(modelSHA256: String, targets: String, spec: BenchmarkSpec, engines: [String]? = nil, labels: [String: String]? = nil,
                boards: [OfflineBoard]? = nil) {
        self.modelSHA256 = modelSHA256; self.targets = targets; self.spec = spec; self.engines = engines; self.labels = labels; self.boards = boards
    }
}

/// A board the scheduler has never seen: a name for selectors and reports, and its probe.
public struct OfflineBoard: Codable, Sendable {
    public var name: String
    public var tags: [String: String]?
    public var hardware: HardwareProfile
    public init(name: String, tags: [String: String]? = nil, hardware: HardwareProfile) {
        self.name = name; self.tags = tags; self.hardware = hardware
    }
}

/// The reply to `POST /v1/bundles/import`: what happened to each result of the file.
public struct BundleImportResponse: Codable, Sendable, Equatable {
    public var bundleID: String
    public var benchmarkID: String
    public var agentName: String
    public var jobs: [BundleImportOutcome]
    public init(bundleID: String, benchmarkID: String, agentName: String, jobs: [BundleImportOutcome]) {
        self.bundleID = bundleID; self.benchmarkID = benchmarkID; self.agentName = agentName; self.jobs = jobs
    }

    /// Whether any result was refused (the CLI then exits non-zero).
    public var anyRefused: Bool { jobs.contains { $0.outcome == .refused } }
}

public struct BundleImportOutcome: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// Stored now.
        case imported
        /// This very result (same digest) was stored by an earlier import: nothing changed.
        case alreadyImported = "already-imported"
        case refused
    }
    public var jobID: String
    public var outcome: Outcome
    public var message: String?
    public init(jobID: String, outcome: Outcome, message: String? = nil) { self.jobID = jobID; self.outcome = outcome; self.message = message }
}

extension OfflineBoard {
    /// A board's name becomes an agent name: 1-64 letters, digits, `-`, `_` or
    /// `.`, not starting with `.` (the rule `roost agent enroll` applies).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix(".") && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
