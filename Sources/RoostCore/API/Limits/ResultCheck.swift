import Foundation

/// What a result must be before it is stored: within `InputLimits` (through
/// `InputCheck`) and sensible — latencies, rates and counts neither negative nor
/// non-finite. The scheduler runs it on every upload, and the report on every
/// stored row, so a row that slipped in before this check cannot break a report.
public enum ResultCheck {
    /// Throws the first problem of `result`, allowing at most `maxSamples` samples.
    public static func validate(_ result: BenchmarkResult, maxSamples: Int = InputLimits.hardMaxSamples, root: String = "result") throws {
        try InputCheck.standard.allowing(samples: maxSamples).validate(result, root: root)
        try semantics(result, root: root)
    }

    /// The checks a generic walk cannot make: signs.
    public static func semantics(_ r: BenchmarkResult, root: String = "result") throws {
        func nonNegative(_ value: Double?, _ field: String) throws {
            guard let value else { return }
            guard value.isFinite, value >= 0 else {
                throw InputViolation(.invalid, field: "\(root).\(field)", message: "\(root).\(field) must be a finite number ≥ 0, not \(value)")
            }
        }
        func nonNegative(_ value: Int?, _ field: String) throws {
            guard let value, value < 0 else { return }
            throw InputViolation(.invalid, field: "\(root).\(field)", message: "\(root).\(field) must be ≥ 0, not \(value)")
        }
        if let s = r.statistics {
            try nonNegative(s.count, "statistics.count")
            for (v, f) in [(s.p50, "p50"), (s.p90, "p90"), (s.p99, "p99"), (s.mean, "mean"), (s.min, "min"), (s.max, "max"),
                           (s.stddev, "stddev"), (s.throughput, "throughput")] {
                try nonNegative(v, "statistics.\(f)")
            }
            for (v, f) in [(s.p999, "p999"), (s.cv, "cv"), (s.p90Bound, "p90Bound"), (s.p99Bound, "p99Bound"),
                           (s.p50CI?.low, "p50CI.low"), (s.p50CI?.high, "p50CI.high"), (s.p99CI?.low, "p99CI.low"), (s.p99CI?.high, "p99CI.high")] {
                try nonNegative(v, "statistics.\(f)")
            }
            try nonNegative(s.outliers, "statistics.outliers")
        }
        if let i = r.samplesMs.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            try nonNegative(r.samplesMs[i], "samplesMs[\(i)]")
        }
        if let m = r.scenarioMetrics {
            for (v, f) in [(m.samplesPerSecond, "samplesPerSecond"), (m.targetQPS, "targetQPS"), (m.achievedQPS, "achievedQPS"),
                           (m.maxQPSWithinBound, "maxQPSWithinBound"), (m.loadMs, "loadMs"), (m.firstInferenceMs, "firstInferenceMs")] {
                try nonNegative(v, "scenarioMetrics.\(f)")
            }
            try nonNegative(m.batch, "scenarioMetrics.batch")
        }
        if let a = r.accuracy {
            try nonNegative(a.maxAbsError, "accuracy.maxAbsError")
            try nonNegative(a.maxRelError, "accuracy.maxRelError")
        }
        let e = r.environment
        try nonNegative(e.artifactLoadMs, "environment.artifactLoadMs")
        try nonNegative(e.otherCPUFraction, "environment.otherCPUFraction")
        try nonNegative(e.agentCPUSeconds, "environment.agentCPUSeconds")
        try nonNegative(e.peakRSSBytes, "environment.peakRSSBytes")
        try nonNegative(e.arenaBytes, "environment.arenaBytes")
        try nonNegative(e.blasThreads, "environment.blasThreads")
        try nonNegative(e.throttleEvents, "environment.throttleEvents")
    }
}
