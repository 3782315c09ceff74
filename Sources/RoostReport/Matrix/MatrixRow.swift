import Foundation
import RoostCore

/// One cell of the comparison: a target (agent × engine × threads × batch ×
/// scenario) with the figures a decision needs. Raw samples stay in memory for
/// tests and charts but are not written to JSON (tens of thousands per row).
public struct MatrixRow: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var key: MatrixKey
    public var agentID: String
    public var agentState: String
    /// One-line hardware summary ("AMD EPYC 7B13 · x86_64 avx2 · 2 CPUs · 23.4 GiB").
    public var hardware: String
    public var tags: [String: String]
    /// The compiled target's label (ISA / BLAS core / threads / engine).
    public var target: String
    public var samples: Int
    public var p50Ms: Double
    public var p50CI: ConfidenceInterval?
    public var p90Ms: Double
    public var p99Ms: Double
    public var p99CI: ConfidenceInterval?
    /// True when too few queries lie above p99 to support it.
    public var p99IsEstimate: Bool
    public var meanMs: Double
    public var cv: Double?
    /// Inferences per second: offline samples/s where the scenario measured it, else queries/s.
    public var throughput: Double
    /// Peak resident memory, MiB.
    public var peakMemoryMB: Double?
    /// Time to a first answer in a fresh process, ms.
    public var coldStartMs: Double?
    /// How `coldStartMs` was measured: `load+first-inference` (cold-start scenario) or `artifact-load` (load only).
    public var coldStartSource: String?
    /// Largest |actual − expected| against the reference outputs.
    public var maxAbsError: Double?
    public var maxRelError: Double?
    public var accuracyPassed: Bool?
    public var valid: Bool
    public var validityReasons: [String]
    /// Runs the agent made for this figure (1 unless the environment spoiled a
    /// try and it was rerun; see `BenchmarkResult.tries`).
    public var tries: Int = 1
    /// Why a result whose every try failed the outlier rule is VALID
    /// (`RunTries.steadyTail`); nil otherwise.
    public var steadyTail: String? = nil
    public var pricePerHour: Double?
    /// USD per million inferences; nil ("unknown") without a price.
    public var costPerMillion: Double?
    /// Joules per inference from the run's energy counter; nil is "not measured".
    public var joulesPerInference: Double? = nil
    /// The counter: `rapl:package-0`, `nvidia-smi-power`; nil when not measured.
    public var energySource: String? = nil
    /// Empty when the row may be recommended.
    public var exclusions: [Exclusion]
    public var distribution: LatencyBox?
    public var benchmarkID: String
    public var jobID: String
    public var finishedAt: Date
    /// The labels of the benchmark the result belongs to (`--label key=value`: commit, branch).
    public var labels: [String: String]?
    /// Raw per-query latencies (ms), for significance tests and charts; not encoded.
    public var samplesMs: [Double] = []

    public var eligible: Bool { exclusions.isEmpty }

    /// "agent · engine · 2t" plus batch and scenario where they are not the defaults.
    public var label: String {
        var parts = [key.agent, key.engine, "\(key.threads)t"]
        if key.batch != 1 { parts.append("batch \(key.batch)") }
        if key.scenario != Scenario.singleStream.rawValue { parts.append(key.scenario) }
        return parts.joined(separator: " · ")
    }

    /// The figure the objective ranks by; nil when the row has none (no price for cost).
    public func metric(for objective: Objective) -> Double? {
        switch objective {
        case .latency: p50Ms
        case .throughput: throughput
        case .cost: costPerMillion
        case .energy: joulesPerInference
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, key, agentID, agentState, hardware, tags, target, samples, p50Ms, p50CI, p90Ms, p99Ms, p99CI, p99IsEstimate
        case meanMs, cv, throughput, peakMemoryMB, coldStartMs, coldStartSource, maxAbsError, maxRelError, accuracyPassed
        case valid, validityReasons, tries, steadyTail, pricePerHour, costPerMillion, joulesPerInference, energySource, exclusions, distribution, benchmarkID, jobID, finishedAt, labels
    }
}

extension MatrixRow {
    /// Missing figures are written as `null`, not left out, so a reader sees
    /// "no price" rather than wondering whether the field exists.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(key, forKey: .key)
        try c.encode(agentID, forKey: .agentID)
        try c.encode(agentState, forKey: .agentState)
        try c.encode(hardware, forKey: .hardware)
        try c.encode(tags, forKey: .tags)
        try c.encode(target, forKey: .target)
        try c.encode(samples, forKey: .samples)
        try c.encode(p50Ms, forKey: .p50Ms)
        try c.encode(p50CI, forKey: .p50CI)
        try c.encode(p90Ms, forKey: .p90Ms)
        try c.encode(p99Ms, forKey: .p99Ms)
        try c.encode(p99CI, forKey: .p99CI)
        try c.encode(p99IsEstimate, forKey: .p99IsEstimate)
        try c.encode(meanMs, forKey: .meanMs)
        try c.encode(cv, forKey: .cv)
        try c.encode(throughput, forKey: .throughput)
        try c.encode(peakMemoryMB, forKey: .peakMemoryMB)
        try c.encode(coldStartMs, forKey: .coldStartMs)
        try c.encode(coldStartSource, forKey: .coldStartSource)
        try c.encode(maxAbsError, forKey: .maxAbsError)
        try c.encode(maxRelError, forKey: .maxRelError)
        try c.encode(accuracyPassed, forKey: .accuracyPassed)
        try c.encode(valid, forKey: .valid)
        try c.encode(validityReasons, forKey: .validityReasons)
        try c.encode(tries, forKey: .tries)
        try c.encode(steadyTail, forKey: .steadyTail)
        try c.encode(pricePerHour, forKey: .pricePerHour)
        try c.encode(costPerMillion, forKey: .costPerMillion)
        try c.encode(joulesPerInference, forKey: .joulesPerInference)
        try c.encode(energySource, forKey: .energySource)
        try c.encode(exclusions, forKey: .exclusions)
        try c.encode(distribution, forKey: .distribution)
        try c.encode(benchmarkID, forKey: .benchmarkID)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(labels ?? [:], forKey: .labels)
    }
}
