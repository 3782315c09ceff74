import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCompiler
import RoostCore
import RoostProbe
import RoostRuntime

/// `roost profile`: where the native engine's time goes, step by step — the
/// figure to read before changing a kernel or a compiler rule, and the answer
/// to "which layer makes my model slow on this machine".
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time every step of a compiled model on this machine (native engine).")
    @Argument(help: "An ONNX model (compiled here for this machine) or a .roost artifact.") var model: String
    @Option(help: "Intra-op threads when compiling an ONNX model (default: the CPUs this process may use).") var threads: Int?
    @Option(name: .customLong("input-shape"), help: "Bind an input's shape, e.g. input=1x3x224x224 (repeatable).") var inputShapes: [String] = []
    @Option(help: "Timed passes over the whole plan.") var passes = 50
    @Option(help: "Untimed passes first.") var warmup = 5
    @Option(help: "Show only the N slowest steps (the totals still count every step).") var top: Int?
    @Option(help: "Order: 'time' (slowest first) or 'plan'.") var sort = "time"
    @Flag(help: "Print the profile as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            guard passes > 0, passes <= 100_000 else { throw RoostError.invalidArgument("--passes must be 1…100000") }
            guard warmup >= 0 else { throw RoostError.invalidArgument("--warmup must not be negative") }
            if let top, top <= 0 { throw RoostError.invalidArgument("--top must be positive") }
            guard ["time", "plan"].contains(sort) else { throw RoostError.invalidArgument("--sort must be 'time' or 'plan'") }
            let url = URL(fileURLWithPath: model)
            guard FileManager.default.fileExists(atPath: url.path) else { throw RoostError.io("no such file: \(model)") }
            let artifact: Artifact
            if url.pathExtension == "roost" {
                guard threads == nil, inputShapes.isEmpty else {
                    throw RoostError.invalidArgument("--threads and --input-shape apply when compiling an ONNX model; an artifact keeps its own")
                }
                let data: Data
                do { data = try Data(contentsOf: url) } catch { throw RoostError.io("cannot read \(model): \(error.localizedDescription)") }
                artifact = try ArtifactCodec.decode(data)
            } else {
                var target = TargetSpec(hardware: HardwareProbe().probe())
                if let threads {
                    guard threads > 0 else { throw RoostError.invalidArgument("--threads must be positive") }
                    target.threads = threads
                }
                artifact = try Compiler().compile(modelAt: url, name: ModelNaming.name(for: url), target: target,
                                                  inputShapes: try TargetArgument.inputShapes(inputShapes))
            }
            let session = try InferenceSession(artifact: artifact)
            try session.setInputs(session.inputShapes.enumerated().map { i, shape in HostTensor.seeded(shape: shape, seed: 42 &+ UInt64(i)) })
            let profile = StepProfiler.profile(session, warmup: warmup, passes: passes)
            if json { print(CanonicalJSON.pretty(profile)); return }
            print(ProfileText.render(profile, artifact: artifact, top: top, byPlanOrder: sort == "plan"))
        }
    }
}

/// The terminal table of a step profile.
enum ProfileText {
    static func render(_ p: StepProfile, artifact: Artifact, top: Int?, byPlanOrder: Bool) -> String {
        let total = p.stepSumMicroseconds
        let flops = p.steps.reduce(0) { $0 + $1.flops }
        var lines = [
            "\(artifact.header.modelName) · \(artifact.header.target.label) · \(p.threads) thread\(p.threads == 1 ? "" : "s") · \(p.steps.count) steps · \(p.passes) passes",
            String(format: "pass p50 %.1f µs (steps %.1f µs; clocks and gaps %.1f µs) · %.3f GFLOP at %.1f GFLOP/s",
                   p.passMedianMicroseconds, total, p.passMedianMicroseconds - total, Double(flops) / 1e9,
                   p.passMedianMicroseconds > 0 ? Double(flops) / p.passMedianMicroseconds / 1000 : 0),
            "",
            "step  kernel          p50 µs   min µs  share    cum   GFLOP/s  output            choices  (origin)",
        ]
        var ordered = byPlanOrder ? p.steps : p.steps.sorted { $0.medianMicroseconds > $1.medianMicroseconds }
        if let top { ordered = Array(ordered.prefix(top)) }
        var cumulative = 0.0
        for s in ordered {
            cumulative += s.medianMicroseconds
            let share = total > 0 ? s.medianMicroseconds / total * 100 : 0
            let cum = total > 0 ? cumulative / total * 100 : 0
            let rate = s.gflopsPerSecond.map { String(format: "%7.1f", $0) } ?? "      -"
            let choices = s.choices.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let shape = s.outputShape.map(String.init).joined(separator: "x")
            lines.append(String(format: "%4d  %@ %8.1f %8.1f %5.1f%% %5.1f%%  %@  %@  %@  (%@)", s.index,
                                s.kernel.padding(toLength: max(14, s.kernel.count), withPad: " ", startingAt: 0),
                                s.medianMicroseconds, s.minMicroseconds, share, cum, rate,
                                shape.padding(toLength: max(16, shape.count), withPad: " ", startingAt: 0), choices, s.origin))
        }
        lines.append("")
        lines.append("by kernel:")
        let groups = Dictionary(grouping: p.steps, by: \.kernel).map { ($0.key, $0.value.count, $0.value.reduce(0) { $0 + $1.medianMicroseconds }) }
        for (kernel, n, us) in groups.sorted(by: { $0.2 > $1.2 }) {
            lines.append(String(format: "  %@ %4d steps %9.1f µs %5.1f%%", kernel.padding(toLength: 14, withPad: " ", startingAt: 0), n, us,
                                total > 0 ? us / total * 100 : 0))
        }
        return lines.joined(separator: "\n")
    }
}
