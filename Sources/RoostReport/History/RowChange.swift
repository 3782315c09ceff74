/// How one matrix row moved against its baseline (same agent, engine,
/// threads, batch and scenario in an earlier benchmark).
public struct RowChange: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        /// p50 ratio above the threshold and the shift significant.
        case regression
        /// p50 ratio below the threshold's reciprocal and the shift significant.
        case improvement
        /// Within the threshold, or not significant.
        case unchanged
        /// Raw samples missing on one side: only the ratio is known.
        case untested
    }

    public var id: String
    public var label: String
    public var verdict: Verdict
    public var baselineBenchmarkID: String
    public var baselineP50Ms: Double
    public var currentP50Ms: Double
    /// current p50 ÷ baseline p50: above 1 is slower.
    public var p50Ratio: Double
    public var test: MannWhitney?

    public init(id: String, label: String, verdict: Verdict, baselineBenchmarkID: String, baselineP50Ms: Double,
                currentP50Ms: Double, p50Ratio: Double, test: MannWhitney?) {
        self.id = id
        self.label = label
        self.verdict = verdict
        self.baselineBenchmarkID = baselineBenchmarkID
        self.baselineP50Ms = baselineP50Ms
        self.currentP50Ms = currentP50Ms
        self.p50Ratio = p50Ratio
        self.test = test
    }
}
