import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCore
import RoostReport

/// `roost report --model NAME|DIGEST` or `--all`: the hardware × engine matrix,
/// the recommendation under the user's constraints, and regressions against history.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Compare a model's results across the farm's hardware and recommend a target.")
    @Option(help: "Model name or sha256 digest (or a unique prefix).") var model: String?
    @Flag(help: "Report every model the scheduler holds.") var all = false
    @Option(help: "md, json, html or csv.") var format = "md"
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Option(help: "What the recommendation optimises: latency, throughput, cost or energy (joules per inference; rows without an energy counter are excluded as not measured).") var objective = "latency"
    @Option(help: "Only recommend targets whose p99 is at most this many ms.") var maxP99Ms: Double?
    @Option(help: "Only recommend targets with at least this many inferences per second.") var minThroughput: Double?
    @Option(help: "Only recommend targets whose peak memory is at most this many MiB.") var maxMemoryMb: Double?
    @Option(help: "Only recommend these engines (comma-separated, e.g. native,onnxruntime).") var engines: String?
    @Option(help: "Compare with this benchmark instead of each row's previous result.") var compareTo: String?
    @Flag(help: "Allow INVALID results and degraded or quarantined agents into the recommendation.") var includeInvalid = false
    @OptionGroup var admin: AdminOptions

    func validate() throws {
        guard (model != nil) != all else { throw ValidationError("give exactly one of --model NAME|DIGEST and --all") }
        if all, compareTo != nil { throw ValidationError("--compare-to applies to one model; use it with --model") }
        guard ReportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Objective(rawValue: objective) != nil else {
            throw ValidationError("--objective must be one of \(Objective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (name, value) in [("--max-p99-ms", maxP99Ms), ("--min-throughput", minThroughput), ("--max-memory-mb", maxMemoryMb)] {
            if let value, !(value.isFinite && value > 0) { throw ValidationError("\(name) must be a positive number") }
        }
        if let engines, Constraints.engines(from: engines).isEmpty { throw ValidationError("--engines needs at least one engine name") }
    }

    var options: ReportOptions {
        ReportOptions(
            objective: Objective(rawValue: objective) ?? .latency,
            constraints: Constraints(maxP99Ms: maxP99Ms, minThroughput: minThroughput, maxMemoryMB: maxMemoryMb,
                                     engines: engines.map(Constraints.engines(from:))),
            includeInvalid: includeInvalid, includeUnhealthyAgents: includeInvalid)
    }

    /// Which version a name picked, when there was a choice: a name means its
    /// newest version, and saying so keeps an older upload from being read as the current one.
    static func pickNote(asked: String, got model: ModelInfo) -> String? {
        guard let version = model.version, !model.sha256.hasPrefix(asked.lowercased()) else { return nil }
        let versions = model.versions ?? 1
        guard versions > 1 || asked != model.name else { return nil }
        return "model '\(model.name)': version \(version) of \(versions) (sha256 \(model.sha256.prefix(12)))"
            + (asked == model.name ? ", the newest; pick another with --model '\(model.name)@N' or a digest" : "")
    }

    func run() async throws {
        try await runReportingErrors {
            let fmt = ReportFormat(rawValue: format) ?? .md
            let client = try admin.client()
            let reports: [ModelReport]
            if let model {
                let data = try await client.reportData(model: model, compareTo: compareTo)
                if let note = Self.pickNote(asked: model, got: data.model) { FileHandle.standardError.write(Data((note + "\n").utf8)) }
                reports = [ReportBuilder.build(data: data, options: options)]
            } else {
                var data: [ReportData] = []
                for m in try await client.models() { data.append(try await client.reportData(model: m.sha256)) }
                reports = ReportBuilder.build(all: data, options: options)
            }
            let text = ReportRenderer.render(reports, format: fmt)
            if let out { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) } else { print(text, terminator: "") }
        }
    }
}
