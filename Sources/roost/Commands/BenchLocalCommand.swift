import ArgumentParser
import Foundation
import RoostAgent
import RoostAgentCLI
import RoostBench
import RoostCompiler
import RoostCore
import RoostONNX
import RoostProbe

/// `roost bench local`: exactly the harness the agents run (in a worker child
/// process), on this machine, with no farm.
struct BenchLocalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "local", abstract: "Benchmark a model on this machine with the agents' harness.")
    @Argument(help: "An ONNX model or a .roost artifact.") var model: String
    @Option(help: "single-stream, offline, server or cold-start.") var scenario = "single-stream"
    @Option(help: "quick, standard or rigorous.") var profile = "quick"
    @Option(help: "native, onnxruntime, openvino, onnxruntime-cuda or onnxruntime-tensorrt.") var engine = "native"
    @Option(help: "Intra-op threads (default: the CPUs this process may use).") var threads: Int?
    @Option(help: "Inferences per query (offline).") var batch = 1
    @Option(help: "Arrival rate (server).") var qps: Double?
    @Flag(help: "Server: find the highest QPS whose p99 meets --p99-bound-ms.") var findMaxQps = false
    @Option(help: "Server: the p99 bound in ms for --find-max-qps.") var p99BoundMs: Double?
    @Option(help: "Override the profile's minimum timed seconds.") var minSeconds: Double?
    @Flag(help: "Print the full result as JSON.") var json = false

    func run() async throws {
        try await runReportingErrors {
            let spec = try makeSpec()
            let host = HardwareProbe().probe()
            var target = TargetSpec(hardware: host, engine: engine)
            if let threads {
                guard threads > 0 else { throw RoostError.invalidArgument("--threads must be positive") }
                target.threads = threads
            }
            let home = RoostHome()
            let scratch = home.path("bench-local")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let url = URL(fileURLWithPath: model)
            guard FileManager.default.fileExists(atPath: url.path) else { throw RoostError.io("no such file: \(model)") }

            var artifactPath = url.path
            if engine == "native" && url.pathExtension != "roost" {
                let artifact = try Compiler().compile(modelAt: url, target: target)
                let file = scratch.appendingPathComponent("\(artifact.header.modelSHA256.prefix(16))-\(target.signature).roost")
                try ArtifactCodec.encode(artifact).write(to: file)
                artifactPath = file.path
            } else if engine == "native" {
                target = try ArtifactCodec.decodeHeader(Data(contentsOf: url)).target
            } else if url.pathExtension == "roost" {
                throw RoostError.invalidArgument("the \(engine) engine runs ONNX models, not .roost artifacts")
            } else if let descriptor = EngineCatalog.descriptor(named: engine), PythonAdapterEngine.availableVersion(descriptor) == nil {
                throw RoostError.unsupported("\(engine) cannot run here: it needs \(descriptor.requirements), importable by \(PythonAdapterEngine.python()); run 'make venv' or set ROOST_ORT_PYTHON")
            }
            let referencePath = try ReferenceFiles.write(besideModel: url, into: scratch)
            let request = WorkerRequest(artifactPath: artifactPath, engine: engine, spec: spec, referencePath: referencePath?.path, threads: target.threads)
            let supervisor = WorkerSupervisor(command: WorkerCommandLine.current(), scratch: scratch)
            // The agents' rerun rule too: a try the environment spoiled is repeated.
            let result = await RerunLoop(spec: spec).run { _ in await supervisor.run(request, target: target) }
            if json { print(CanonicalJSON.pretty(result)) } else { print(ResultText.render(result, model: url.lastPathComponent)) }
            if result.status != .succeeded { throw RoostError.io(result.errorMessage ?? "benchmark failed") }
        }
    }

    private func makeSpec() throws -> BenchmarkSpec {
        guard let scenario = Scenario(rawValue: scenario) else {
            throw RoostError.invalidArgument("--scenario must be one of \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let profile = BenchmarkProfile(rawValue: profile) else {
            throw RoostError.invalidArgument("--profile must be one of \(BenchmarkProfile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard EngineCatalog.descriptor(named: engine) != nil else {
            throw RoostError.invalidArgument("--engine must be one of \(EngineCatalog.names.joined(separator: ", "))")
        }
        guard batch > 0 else { throw RoostError.invalidArgument("--batch must be positive") }
        if let qps, qps <= 0 { throw RoostError.invalidArgument("--qps must be positive") }
        if findMaxQps && (p99BoundMs ?? 0) <= 0 { throw RoostError.invalidArgument("--find-max-qps needs --p99-bound-ms X") }
        if (qps != nil || findMaxQps) && scenario != .server { throw RoostError.invalidArgument("--qps and --find-max-qps apply to --scenario server") }
        if let minSeconds, minSeconds <= 0 { throw RoostError.invalidArgument("--min-seconds must be positive") }
        return BenchmarkSpec(scenario: scenario, profile: profile, minSeconds: minSeconds, batch: batch, qps: qps,
                             findMaxQPS: findMaxQps, p99BoundMs: p99BoundMs)
    }
}

/// The model's own test data (`test_data_set_0` beside `model.onnx`) as the accuracy reference.
enum ReferenceFiles {
    static func load(besideModel url: URL) throws -> ReferenceData? {
        let dir = url.deletingLastPathComponent().appendingPathComponent("test_data_set_0")
        func tensors(_ prefix: String) throws -> [WireTensor] {
            var out: [WireTensor] = []
            var i = 0
            while FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(prefix)_\(i).pb").path) {
                out.append(WireTensor(name: "\(prefix)_\(i)", tensor: try TensorProtoCodec.read(from: dir.appendingPathComponent("\(prefix)_\(i).pb"))))
                i += 1
            }
            return out
        }
        let inputs = try tensors("input"), outputs = try tensors("output")
        guard !inputs.isEmpty, !outputs.isEmpty else { return nil }
        return ReferenceData(source: "user", inputs: inputs, outputs: outputs)
    }

    static func write(besideModel url: URL, into dir: URL) throws -> URL? {
        guard url.pathExtension == "onnx", let ref = try load(besideModel: url) else { return nil }
        let file = dir.appendingPathComponent("reference-\(UUID().uuidString.prefix(8)).json")
        try CanonicalJSON.encode(ref).write(to: file)
        return file
    }
}

/// A terminal summary of one result.
enum ResultText {
    static func render(_ r: BenchmarkResult, model: String) -> String {
        guard r.status == .succeeded, let s = r.statistics else { return "\(model): ERROR \(r.errorMessage ?? "")" }
        let e = r.environment
        func ms(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "-" }
        func ci(_ c: ConfidenceInterval?) -> String { c.map { "[\(ms($0.low)), \(ms($0.high))]" } ?? "" }
        var lines = [
            "\(model) · \(r.scenario?.rawValue ?? "single-stream") · \(e.engine) \(e.engineVersion) · \(e.blasThreads ?? 0) threads · BLAS \(e.blasCore ?? "-")",
            "  p50 \(ms(s.p50)) ms \(ci(s.p50CI))  p90 \(ms(s.p90))  p99 \(ms(s.p99)) ms \(ci(s.p99CI))\((s.p99IsEstimate ?? false) ? " (estimate; bound \(ms(s.p99Bound)))" : "")  p99.9 \(ms(s.p999))",
            "  mean \(ms(s.mean))  min \(ms(s.min))  max \(ms(s.max))  stddev \(ms(s.stddev))  CV \(ms(s.cv))  outliers \(s.outliers ?? 0)  n \(s.count)  throughput \(String(format: "%.1f", s.throughput))/s",
        ]
        if let m = r.scenarioMetrics {
            var parts: [String] = []
            if let v = m.samplesPerSecond { parts.append(String(format: "%.1f samples/s at batch %d", v, m.batch ?? 1)) }
            if let a = m.achievedQPS { parts.append(String(format: "achieved %.1f QPS of %.1f", a, m.targetQPS ?? 0)) }
            if let q = m.maxQPSWithinBound { parts.append(String(format: "max %.1f QPS within the p99 bound", q)) }
            if let l = m.loadMs, let f = m.firstInferenceMs { parts.append(String(format: "load %.2f ms, first inference %.3f ms", l, f)) }
            if !parts.isEmpty { lines.append("  " + parts.joined(separator: "; ")) }
        }
        if let a = r.accuracy {
            lines.append(String(format: "  accuracy vs %@ reference: max abs %.3g, max rel %.3g, cosine %.6f — %@", a.referenceSource, a.maxAbsError, a.maxRelError, a.cosineSimilarity, a.passed ? "ok" : "FAILED"))
        }
        lines.append("  memory: peak RSS \((e.peakRSSBytes ?? 0) / 1_048_576) MiB\(e.arenaBytes.map { ", arena \($0 / 1024) KiB" } ?? "")  other-CPU \(e.otherCPUFraction.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a")  governor \(e.governor ?? "n/a")  freq \(e.frequencyMHz.map { String(format: "%.0f-%.0f MHz", $0.min, $0.max) } ?? "n/a")  temp \(e.temperatureC.map { String(format: "max %.0f°C", $0.max) } ?? "n/a")")
        if let d = s.dispersion { lines.append(String(format: "  spread (p90 − p10)/p50 %.3f  MAD %@ ms  drift %@  outliers %.2f%% (p99 shift %@)", d, ms(s.mad),
                                                      s.drift.map { String(format: "%+.1f%%", $0 * 100) } ?? "-", (s.outlierShare ?? 0) * 100,
                                                      s.outlierP99Shift.map { String(format: "%+.1f%%", $0 * 100) } ?? "-")) }
        lines.append("  \(r.validity?.label ?? "VALID")")
        if let t = r.tries, t.tries.count > 1 {
            lines.append("  tries: \(t.tries.count), reporting try \(t.reported): " + t.tries.map { "#\($0.number) \($0.validity?.valid == false ? "INVALID" : $0.status == .error ? "ERROR" : "VALID")" }.joined(separator: ", "))
            if let steady = t.steadyTail { lines.append("  \(steady)") }
        }
        return lines.joined(separator: "\n")
    }
}
