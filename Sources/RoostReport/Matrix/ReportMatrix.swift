import Foundation
import RoostCore

/// Turns stored results into matrix rows and decides, per row, whether the
/// options allow recommending it. Pure: the same data and options give the same matrix.
public struct ReportMatrix: Sendable, Equatable {
    /// Ranked by the objective's figure, best first; rows without that figure last.
    public var rows: [MatrixRow]
    /// Results with neither statistics nor samples: listed, never ranked.
    public var unmeasured: [ExcludedTarget]

    public init(rows stored: [ReportRow], options: ReportOptions) {
        // One row per key: the newest result wins (the store usually sends one already).
        var newest: [MatrixKey: ReportRow] = [:]
        for r in stored {
            let key = MatrixKey(r)
            if let seen = newest[key], (seen.finishedAt, seen.jobID) >= (r.finishedAt, r.jobID) { continue }
            newest[key] = r
        }
        var rows: [MatrixRow] = []
        var unmeasured: [ExcludedTarget] = []
        for key in newest.keys.sorted() {
            let r = newest[key]!
            if let row = Self.row(r, key: key, options: options) {
                rows.append(row)
            } else {
                let why = r.result.errorMessage.map { "no latency statistics: \($0)" } ?? "no latency statistics were recorded"
                unmeasured.append(ExcludedTarget(id: key.id, label: key.id, exclusions: [Exclusion(kind: .noResult, message: why)]))
            }
        }
        let objective = options.objective
        rows.sort { a, b in
            switch (a.metric(for: objective), b.metric(for: objective)) {
            case let (x?, y?) where x != y: objective == .throughput ? x > y : x < y
            case (_?, nil): true
            case (nil, _?): false
            default: a.key < b.key
            }
        }
        self.rows = rows
        self.unmeasured = unmeasured
    }

    /// Nil when the result carries nothing to rank.
    static func row(_ r: ReportRow, key: MatrixKey, options: ReportOptions) -> MatrixRow? {
        let result = r.result
        let samples = result.samplesMs.filter(\.isFinite)
        let stats = result.statistics
            ?? LatencyStatistics(samplesMs: samples, wallSeconds: samples.reduce(0, +) / 1000)
        guard result.status == .succeeded, let s = stats, s.p50.isFinite, s.p99.isFinite else { return nil }
        let metrics = result.scenarioMetrics
        let throughput = NumberFormat.finite(metrics?.samplesPerSecond) ?? (s.throughput.isFinite ? s.throughput : 0)
        let env = result.environment
        var coldStart: Double?
        var coldStartSource: String?
        if let load = metrics?.loadMs, let first = metrics?.firstInferenceMs {
            coldStart = load + first
            coldStartSource = "load+first-inference"
        } else if let load = env.artifactLoadMs ?? metrics?.loadMs {
            coldStart = load
            coldStartSource = "artifact-load"
        }
        let price = NumberFormat.finite(r.agent.pricePerHour)
        var row = MatrixRow(
            id: key.id, key: key, agentID: r.agent.agentID, agentState: r.agent.state, hardware: r.agent.hardware.summary,
            tags: r.agent.tags, target: r.target.label, samples: s.count, p50Ms: s.p50, p50CI: s.p50CI, p90Ms: s.p90,
            p99Ms: s.p99, p99CI: s.p99CI, p99IsEstimate: s.p99IsEstimate ?? false, meanMs: s.mean, cv: NumberFormat.finite(s.cv),
            throughput: throughput, peakMemoryMB: env.peakRSSBytes.map { Double($0) / 1_048_576 },
            coldStartMs: NumberFormat.finite(coldStart), coldStartSource: coldStartSource,
            maxAbsError: NumberFormat.finite(result.accuracy?.maxAbsError), maxRelError: NumberFormat.finite(result.accuracy?.maxRelError),
            accuracyPassed: result.accuracy?.passed, valid: result.isValid, validityReasons: result.validity?.reasons ?? [],
            pricePerHour: price, costPerMillion: CostModel.costPerMillion(throughput: throughput, pricePerHour: price),
            exclusions: [], distribution: LatencyBox(samples: samples), benchmarkID: r.benchmarkID, jobID: r.jobID,
            finishedAt: r.finishedAt, samplesMs: samples)
        row.labels = r.labels
        row.joulesPerInference = NumberFormat.finite(env.energy?.joulesPerInference)
        row.energySource = row.joulesPerInference == nil ? nil : env.energy?.source
        row.tries = result.tryCount
        row.steadyTail = result.tries?.steadyTail
        row.exclusions = exclusions(of: row, options: options)
        return row
    }

    /// Every reason the options give not to recommend `row`, in a fixed order.
    static func exclusions(of row: MatrixRow, options: ReportOptions) -> [Exclusion] {
        var out: [Exclusion] = []
        let c = options.constraints
        if !row.valid && !options.includeInvalid {
            let why = row.validityReasons.isEmpty ? "" : ": " + row.validityReasons.joined(separator: "; ")
            out.append(Exclusion(kind: .invalid, message: "INVALID result\(why)"))
        }
        if ReportOptions.unhealthyAgentStates.contains(row.agentState) && !options.includeUnhealthyAgents {
            out.append(Exclusion(kind: .agentState, message: "agent \(row.key.agent) is \(row.agentState)"))
        }
        if let engines = c.engines, !engines.isEmpty, !engines.contains(row.key.engine) {
            out.append(Exclusion(kind: .engine, message: "engine \(row.key.engine) is not in --engines \(engines.joined(separator: ","))"))
        }
        if let limit = c.maxP99Ms, row.p99Ms > limit {
            out.append(Exclusion(kind: .maxP99, message: "p99 \(NumberFormat.ms(row.p99Ms)) ms exceeds --max-p99-ms \(NumberFormat.plain(limit))",
                                 value: row.p99Ms, limit: limit))
        }
        if let limit = c.minThroughput, row.throughput < limit {
            out.append(Exclusion(kind: .minThroughput,
                                 message: "throughput \(NumberFormat.one(row.throughput))/s is below --min-throughput \(NumberFormat.plain(limit))",
                                 value: row.throughput, limit: limit))
        }
        if let limit = c.maxMemoryMB {
            if let mb = row.peakMemoryMB {
                if mb > limit {
                    out.append(Exclusion(kind: .maxMemory, message: "peak memory \(NumberFormat.one(mb)) MiB exceeds --max-memory-mb \(NumberFormat.plain(limit))",
                                         value: mb, limit: limit))
                }
            } else {
                out.append(Exclusion(kind: .memoryUnknown,
                                     message: "peak memory was not recorded, so --max-memory-mb \(NumberFormat.plain(limit)) cannot be checked", limit: limit))
            }
        }
        if options.objective == .energy && row.joulesPerInference == nil {
            out.append(Exclusion(kind: .energyUnknown, message: "energy not measured: \(row.key.agent) exposes no readable RAPL or GPU power counter"))
        }
        if options.objective == .cost && row.costPerMillion == nil {
            out.append(Exclusion(kind: .priceUnknown, message: "cost unknown: agent \(row.key.agent) has no price per hour in its profile"))
        }
        return out
    }
}
