import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostClient
import RoostCore
import RoostONNX
import RoostReport

/// `roost bench queue|status|cancel|export|import`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Queue benchmarks on the farm and follow them.", subcommands: [Queue.self, Status.self, Cancel.self, BenchExportCommand.self, BenchImportCommand.self, BenchLocalCommand.self, BenchPeakCommand.self])

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload a model and benchmark it on every matching agent.")
        @Argument(help: "The ONNX model file.") var model: String
        @Option(help: "Agents to run on: 'all', or terms like arch=x86_64,isa=x86_64-avx2,name=NAME,KEY=VALUE,cpus>=N.") var targets = "all"
        @Option(help: "Model name in reports (default: the file name, or its folder for model.onnx).") var name: String?
        @Option(help: "single-stream, offline, server or cold-start.") var scenario = "single-stream"
        @Option(help: "quick, standard or rigorous.") var profile = "quick"
        @Option(help: "Comma-separated engines to measure (native, onnxruntime, openvino, onnxruntime-cuda, onnxruntime-tensorrt); each must be advertised by a matching agent.") var engines = "native"
        @Option(help: "Override the profile's minimum timed seconds per job.") var minSeconds: Double?
        @Option(help: "Override the profile's minimum timed queries per job.") var minIterations: Int?
        @Option(help: "Recorded with the spec; the coefficient of variation is informational (validity uses the interval, dispersion and drift limits below).") var maxCv: Double?
        @Option(help: "Validity: widest p50 95 % interval, as a fraction of p50 (profile default: quick 0.05).") var maxP50Interval: Double?
        @Option(help: "Validity: widest p99 95 % interval, as a fraction of p99 (quick 0.25).") var maxP99Interval: Double?
        @Option(help: "Validity: largest (p90 − p10)/p50 (quick 0.5).") var maxDispersion: Double?
        @Option(help: "Validity: largest drift of the median over the run, as a fraction (quick 0.1).") var maxDrift: Double?
        @Option(help: "Fail a job's result when other processes used more than this fraction of its CPUs (default 0.10).") var maxOtherCpu: Double?
        @Option(name: .customLong("label"), help: "key=value stored with the benchmark (repeatable): git commit, branch, …") var labels: [String] = []
        @Flag(help: "Wait until every job has finished; the exit code then says how it went (see --fail-on-regression).") var wait = false
        @Option(help: "Compare with this benchmark: its id, or key=value for the newest earlier benchmark of this model name with that label.") var baseline: String?
        @Flag(help: "Exit 3 when a target regressed against --baseline (p50 above --threshold and significant).") var failOnRegression = false
        @Option(help: "How much slower a p50 may get before a significant shift is a regression: 5% (default), 10%, …") var threshold = "5%"
        @Option(help: "Write a JUnit XML report here (one test case per target × engine).") var junit: String?
        @Option(help: "Write a Markdown summary here (for a CI step summary).") var summary: String?
        @Flag(help: "Print the benchmark status as JSON.") var json = false
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                if let minSeconds, !(minSeconds > 0 && minSeconds <= 3600) { throw RoostError.invalidArgument("--min-seconds must be in (0, 3600]") }
                if let minIterations, minIterations <= 0 { throw RoostError.invalidArgument("--min-iterations must be positive") }
                guard let scenario = Scenario(rawValue: scenario) else {
                    throw RoostError.invalidArgument("--scenario must be one of \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let profile = BenchmarkProfile(rawValue: profile) else {
                    throw RoostError.invalidArgument("--profile must be one of \(BenchmarkProfile.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let engineList = engines.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard !engineList.isEmpty else { throw RoostError.invalidArgument("--engines needs at least one engine") }
                if let unknown = engineList.first(where: { EngineCatalog.descriptor(named: $0) == nil }) {
                    throw RoostError.invalidArgument("--engines: unknown engine '\(unknown)'; known: \(EngineCatalog.names.joined(separator: ", "))")
                }
                _ = try TargetSelector(parsing: targets)
                let labelSet = try BenchmarkLabels.parse(all: labels)
                let gate = try GateRequest(wait: wait, baseline: baseline, failOnRegression: failOnRegression, threshold: threshold,
                                           junit: junit, summary: summary)
                if let maxCv, !(maxCv > 0 && maxCv.isFinite) { throw RoostError.invalidArgument("--max-cv must be positive") }
                if let maxOtherCpu, !(maxOtherCpu >= 0 && maxOtherCpu <= 1) { throw RoostError.invalidArgument("--max-other-cpu must be in [0, 1]") }
                for (flag, value) in [("--max-p50-interval", maxP50Interval), ("--max-p99-interval", maxP99Interval),
                                      ("--max-dispersion", maxDispersion), ("--max-drift", maxDrift)] {
                    if let value, !(value > 0 && value.isFinite) { throw RoostError.invalidArgument("\(flag) must be a positive fraction") }
                }
                let url = URL(fileURLWithPath: model)
                let parsed = try ONNXModel.load(from: url)
                let data = try Data(contentsOf: url)
                let client = try admin.client()
                // A baseline id that is no benchmark fails now, not after the run.
                if let baseline, UUID(uuidString: baseline) != nil { _ = try await client.benchmark(id: baseline.lowercased()) }
                let info = try await client.uploadModel(data, name: name ?? ModelNaming.name(for: url))
                guard info.sha256 == parsed.sha256 else { throw RoostError.io("the scheduler stored the model under another digest") }
                if let reference = try ReferenceFiles.load(besideModel: url) { try await client.uploadReference(reference, model: info.sha256) }
                var spec = BenchmarkSpec(scenario: scenario, profile: profile, minSeconds: minSeconds, minIterations: minIterations)
                if let maxCv { spec.maxCV = maxCv }
                if let maxOtherCpu { spec.maxOtherCPUFraction = maxOtherCpu }
                if let maxP50Interval { spec.maxP50Interval = maxP50Interval }
                if let maxP99Interval { spec.maxP99Interval = maxP99Interval }
                if let maxDispersion { spec.maxDispersion = maxDispersion }
                if let maxDrift { spec.maxDrift = maxDrift }
                var status = try await client.queueBenchmark(QueueBenchmarkRequest(modelSHA256: info.sha256, targets: targets, spec: spec,
                                                                                   engines: engineList, labels: labelSet.isEmpty ? nil : labelSet))
                if !json { FileHandle.standardError.write(Data("queued benchmark \(status.benchmarkID) of \(info.name) (\(status.jobs.count) jobs)\n".utf8)) }
                if wait { status = try await BenchmarkWaiter(client: client).wait(for: status.benchmarkID, quiet: json) }
                print(json ? CanonicalJSON.pretty(status) : StatusText.render(status))
                guard wait else { return }
                let outcome = try await gate.evaluate(status, client: client)
                FileHandle.standardError.write(Data("\(info.name): \(outcome.headline) (exit \(outcome.exitCode.rawValue))\n".utf8))
                for c in outcome.failures { FileHandle.standardError.write(Data("  \(c.name): \(c.message)\n".utf8)) }
                if outcome.exitCode != .passed { throw ExitCode(outcome.exitCode.rawValue) }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one benchmark, or the recent ones.")
        @Argument(help: "Benchmark id (omit for the recent ones).") var benchmarkID: String?
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                let client = try admin.client()
                if let benchmarkID {
                    let s = try await client.benchmark(id: benchmarkID)
                    print(json ? CanonicalJSON.pretty(s) : StatusText.render(s))
                } else {
                    let all = try await client.recentBenchmarks()
                    print(json ? CanonicalJSON.pretty(all) : all.map(StatusText.render).joined(separator: "\n"))
                }
            }
        }
    }
}

extension BenchCommand {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a benchmark: queued jobs end cancelled, running ones stop at their next heartbeat.")
        @Argument(help: "Benchmark id.") var benchmarkID: String
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            try await runReportingErrors {
                guard UUID(uuidString: benchmarkID) != nil else { throw RoostError.invalidArgument("'\(benchmarkID)' is not a benchmark id") }
                let outcome = try await admin.client().cancelBenchmark(id: benchmarkID)
                print(json ? CanonicalJSON.pretty(outcome)
                      : "benchmark \(outcome.benchmarkID): \(outcome.cancelled) queued job(s) cancelled, \(outcome.stopping) running job(s) told to stop")
            }
        }
    }
}

/// Polls a benchmark until every job is in a terminal state, printing progress.
struct BenchmarkWaiter {
    let client: RoostClient
    func wait(for id: String, quiet: Bool, timeout: Double = 3600) async throws -> BenchmarkStatus {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while true {
            let s = try await client.benchmark(id: id)
            let line = s.progress
            if !quiet, line != last { FileHandle.standardError.write(Data("  \(s.model.name): \(line)\n".utf8)); last = line }
            if s.isFinished { return s }
            guard Date() < deadline else { throw RoostError.io("benchmark \(id) did not finish within \(Int(timeout)) s") }
            try await Task.sleep(for: .seconds(1))
        }
    }
}

enum StatusText {
    static func render(_ s: BenchmarkStatus) -> String {
        var out = "benchmark \(s.benchmarkID)  model \(s.model.name) (\(s.model.sha256.prefix(12)))  targets \(s.targets)  \(s.progress)"
        if let labels = s.labels, !labels.isEmpty { out += "  labels \(BenchmarkLabels.text(labels))" }
        out += "\n"
        for j in s.jobs {
            out += "  \(j.jobID.prefix(8))  \(j.state.padding(toLength: 10, withPad: " ", startingAt: 0)) attempt \(j.attempt)  \(j.target.label)  \(j.agentName ?? "-")"
            if j.state == "running", let phase = j.phase { out += "  \(phase)" }
            if j.state == "queued", let notBefore = j.notBefore, notBefore > Date() { out += "  retry in \(Int(notBefore.timeIntervalSinceNow.rounded(.up))) s" }
            if let e = j.errorMessage { out += "  error: \(e)" }
            out += "\n"
            // Earlier attempts that did not succeed, so a retried or failed job explains itself.
            for a in j.attempts ?? [] where a.outcome != .succeeded && a.outcome != .error {
                out += "      attempt \(a.attempt) on \(a.agentName ?? "?"): \(a.outcome.rawValue)\(a.error.map { " (\($0))" } ?? "")\n"
            }
        }
        return out
    }
}

enum ModelNaming {
    /// `resnet18/model.onnx` is called `resnet18`; `foo.onnx` is `foo`.
    static func name(for url: URL) -> String {
        let stem = url.deletingPathExtension().lastPathComponent
        return stem == "model" ? url.deletingLastPathComponent().lastPathComponent : stem
    }
}
