import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostClient
import RoostCore
import RoostONNX

/// `roost bench queue|status|cancel`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Queue benchmarks on the farm and follow them.", subcommands: [Queue.self, Status.self, Cancel.self, BenchLocalCommand.self, BenchPeakCommand.self])

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Upload a model and benchmark it on every matching agent.")
        @Argument(help: "The ONNX model file.") var model: String
        @Option(help: "Agents to run on: 'all', or terms like arch=x86_64,isa=x86_64-avx2,name=NAME,KEY=VALUE,cpus>=N.") var targets = "all"
        @Option(help: "Model name in reports (default: the file name, or its folder for model.onnx).") var name: String?
        @Option(help: "single-stream, offline, server or cold-start.") var scenario = "single-stream"
        @Option(help: "quick, standard or rigorous.") var profile = "quick"
        @Option(help: "Comma-separated engines to measure (native, onnxruntime).") var engines = "native"
        @Option(help: "Override the profile's minimum timed seconds per job.") var minSeconds: Double?
        @Option(help: "Override the profile's minimum timed queries per job.") var minIterations: Int?
        @Flag(help: "Wait until every job has finished.") var wait = false
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
                guard !engineList.isEmpty, engineList.allSatisfy(["native", "onnxruntime"].contains) else {
                    throw RoostError.invalidArgument("--engines takes native and/or onnxruntime")
                }
                _ = try TargetSelector(parsing: targets)
                let url = URL(fileURLWithPath: model)
                let parsed = try ONNXModel.load(from: url)
                let data = try Data(contentsOf: url)
                let client = try admin.client()
                let info = try await client.uploadModel(data, name: name ?? ModelNaming.name(for: url))
                guard info.sha256 == parsed.sha256 else { throw RoostError.io("the scheduler stored the model under another digest") }
                if let reference = try ReferenceFiles.load(besideModel: url) { try await client.uploadReference(reference, model: info.sha256) }
                let spec = BenchmarkSpec(scenario: scenario, profile: profile, minSeconds: minSeconds, minIterations: minIterations)
                var status = try await client.queueBenchmark(QueueBenchmarkRequest(modelSHA256: info.sha256, targets: targets, spec: spec, engines: engineList))
                if !json { FileHandle.standardError.write(Data("queued benchmark \(status.benchmarkID) of \(info.name) (\(status.jobs.count) jobs)\n".utf8)) }
                if wait { status = try await BenchmarkWaiter(client: client).wait(for: status.benchmarkID, quiet: json) }
                print(json ? CanonicalJSON.pretty(status) : StatusText.render(status))
                if wait, status.jobs.contains(where: { $0.state != "succeeded" }) { throw ExitCode.failure }
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
        var out = "benchmark \(s.benchmarkID)  model \(s.model.name) (\(s.model.sha256.prefix(12)))  targets \(s.targets)  \(s.progress)\n"
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
