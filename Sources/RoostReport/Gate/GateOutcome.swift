import Foundation
import RoostCore

/// What the CI gate concluded for one benchmark: a case per job and the exit code.
public struct GateOutcome: Codable, Sendable, Equatable {
    public var model: ModelInfo
    public var benchmarkID: String
    public var labels: [String: String]
    /// The benchmark compared with, and its labels; nil without `--baseline`.
    public var baselineBenchmarkID: String?
    public var baselineLabels: [String: String]?
    /// What `--baseline` said (an id or `key=value`), nil without one.
    public var baselineReference: String?
    /// p50 ratio above which a significant shift is a regression (1.05 for 5 %).
    public var regressionRatio: Double
    public var alpha: Double
    /// Whether a regression fails the gate (`--fail-on-regression`).
    public var failOnRegression: Bool
    public var cases: [GateCase]

    public init(model: ModelInfo, benchmarkID: String, labels: [String: String], baselineBenchmarkID: String?,
                baselineLabels: [String: String]?, baselineReference: String? = nil, regressionRatio: Double, alpha: Double, failOnRegression: Bool, cases: [GateCase]) {
        self.model = model
        self.benchmarkID = benchmarkID
        self.labels = labels
        self.baselineBenchmarkID = baselineBenchmarkID
        self.baselineLabels = baselineLabels
        self.baselineReference = baselineReference
        self.regressionRatio = regressionRatio
        self.alpha = alpha
        self.failOnRegression = failOnRegression
        self.cases = cases
    }

    /// Cases that fail the gate: a regression only with `failOnRegression`.
    public var failures: [GateCase] { cases.filter(fails) }

    public func fails(_ c: GateCase) -> Bool {
        switch c.outcome {
        case .passed: false
        case .regression: failOnRegression
        case .accuracyFailure, .noValidResult: true
        }
    }

    /// Accuracy first (wrong answers matter more than slow ones), then regression, then missing results.
    public var exitCode: GateExitCode {
        let outcomes = Set(failures.map(\.outcome))
        if outcomes.contains(.accuracyFailure) { return .accuracyFailure }
        if outcomes.contains(.regression) { return .regression }
        if outcomes.contains(.noValidResult) { return .noValidResult }
        return .passed
    }

    /// "passed", or what failed, in words, for the summary's first line and the CLI.
    public var headline: String {
        switch exitCode {
        case .passed: "passed: \(cases.count) target(s), no regression"
        case .regression: "failed: \(failures.filter { $0.outcome == .regression }.count) target(s) regressed"
        case .accuracyFailure: "failed: accuracy check failed on \(failures.filter { $0.outcome == .accuracyFailure }.count) target(s)"
        case .noValidResult: "failed: \(failures.filter { $0.outcome == .noValidResult }.count) target(s) without a valid result"
        case .error: "error"
        }
    }
}
