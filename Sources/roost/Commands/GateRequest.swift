import ArgumentParser
import Foundation
import RoostClient
import RoostCore
import RoostReport

/// What `roost bench queue --wait` was asked to judge once the jobs finish:
/// the baseline, the threshold, whether a regression fails, and where the
/// JUnit and Markdown reports go. Checked before anything is uploaded.
struct GateRequest {
    var baseline: String?
    var failOnRegression: Bool
    /// p50 ratio: `5%` is 1.05.
    var regressionRatio: Double
    var junit: URL?
    var summary: URL?

    /// The CI gate proper: an INVALID result then counts as no valid result.
    var isStrict: Bool { baseline != nil || failOnRegression || junit != nil || summary != nil }

    init(wait: Bool, baseline: String?, failOnRegression: Bool, threshold: String, junit: String?, summary: String?) throws {
        if !wait {
            for (flag, given) in [("--baseline", baseline != nil), ("--fail-on-regression", failOnRegression), ("--junit", junit != nil), ("--summary", summary != nil)]
            where given {
                throw RoostError.invalidArgument("\(flag) needs --wait: the verdict comes when the jobs have finished")
            }
        }
        if failOnRegression, baseline == nil { throw RoostError.invalidArgument("--fail-on-regression needs --baseline ID|KEY=VALUE") }
        if let baseline, UUID(uuidString: baseline) == nil { _ = try BenchmarkLabels.parse(baseline) }
        self.baseline = baseline
        self.failOnRegression = failOnRegression
        regressionRatio = 1 + (try Self.percent(threshold)) / 100
        self.junit = try junit.map { try Self.writable($0, "--junit") }
        self.summary = try summary.map { try Self.writable($0, "--summary") }
    }

    /// `5%` or `5` → 5; (0, 1000].
    static func percent(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed
        guard let v = Double(number), v > 0, v <= 1000 else {
            throw RoostError.invalidArgument("--threshold must be a percentage in (0, 1000], like 5%, not '\(text)'")
        }
        return v
    }

    /// A report file whose folder exists, so a typo fails now rather than after the benchmark.
    static func writable(_ path: String, _ flag: String) throws -> URL {
        guard !path.isEmpty else { throw RoostError.invalidArgument("\(flag) needs a file name") }
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RoostError.invalidArgument("\(flag) \(path): the folder \(url.deletingLastPathComponent().path) does not exist")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw RoostError.invalidArgument("\(flag) \(path) is a folder")
        }
        return url
    }

    /// Fetches the finished benchmark's results (and the baseline's), judges them and writes the reports.
    func evaluate(_ status: BenchmarkStatus, client: RoostClient) async throws -> GateOutcome {
        let data = try await client.benchmarkReportData(id: status.benchmarkID, baseline: baseline)
        let outcome = RegressionGate.evaluate(status: status, data: data, regressionRatio: regressionRatio,
                                              failOnRegression: failOnRegression, requireValid: isStrict,
                                              baselineReference: baseline)
        do {
            if let junit { try Data(JUnitRenderer.render(outcome).utf8).write(to: junit, options: .atomic) }
            if let summary { try Data(GateSummaryRenderer.render(outcome).utf8).write(to: summary, options: .atomic) }
        } catch {
            throw RoostError.io("cannot write the gate report: \(error.localizedDescription)")
        }
        return outcome
    }
}
