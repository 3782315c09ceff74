import Foundation
import RoostCore
import RoostStore

/// What queueing a benchmark and exporting a bundle share: checking the
/// request, the targets of the machines it matched, and one job per target
/// with its artifact compiled (or the model, for engines that run ONNX
/// themselves). One place, so an offline board's job is planned exactly as an
/// online agent's.
struct BenchmarkPlanner: Sendable {
    let compiler: CompileService

    /// The spec's sample count, the labels and the engines, as the API's errors.
    static func validate(spec: BenchmarkSpec, labels: [String: String], engines: [String]) throws {
        guard spec.minIterations >= 0, spec.minIterations <= InputLimits.hardMaxSamples else {
            throw APIError(.badRequest, "spec.minIterations must be 0 to \(InputLimits.hardMaxSamples) (the most samples a result may carry)",
                           field: "spec.minIterations", limit: InputLimits.hardMaxSamples)
        }
        try BenchmarkLabels.validate(labels)
        guard !engines.isEmpty, engines.allSatisfy({ EngineCatalog.descriptor(named: $0) != nil }) else {
            throw APIError.badRequest("engines must be among \(EngineCatalog.names.joined(separator: ", "))")
        }
    }

    /// Each distinct target of `machines` for the engines asked for. Every
    /// engine must be offered by some machine (422 naming what is missing): a
    /// benchmark never waits for jobs nobody can run.
    static func targets(machines: [(name: String, hardware: HardwareProfile)], engines: [String]) throws -> [(target: TargetSpec, machine: String)] {
        if let missing = EngineAvailability.missing(engines: engines, agents: machines) {
            throw APIError(.unprocessableContent, missing)
        }
        var out: [(target: TargetSpec, machine: String)] = []
        for machine in machines {
            for target in machine.hardware.targets where engines.contains(target.engine) && !out.contains(where: { $0.target == target }) {
                out.append((target, machine.name))
            }
        }
        return out
    }

    /// One new job per target, and the model's reference outputs made if it has none yet.
    func jobs(for model: ModelInfo, targets: [TargetSpec]) async throws -> [NewJob] {
        var jobs: [NewJob] = []
        // The request's compiles and reference wait for local benchmarks within one bound.
        let quietUntil = compiler.quietDeadline()
        for target in targets {
            // Engines that run the ONNX model itself take the model as their artifact.
            let artifact = target.engine == "native" ? try await compiler.artifact(for: model, target: target, quietUntil: quietUntil) : model.sha256
            jobs.append(NewJob(id: UUID().uuidString.lowercased(), artifactSHA256: artifact, target: target))
        }
        try await compiler.ensureReference(for: model, quietUntil: quietUntil)
        return jobs
    }
}
