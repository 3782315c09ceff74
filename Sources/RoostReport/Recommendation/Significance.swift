/// Whether the best target's lead over the runner-up is real or noise.
///
/// The test runs on the per-query figure the objective ranks: latency (ms) for
/// `latency`; latency ÷ batch, the time per inference, for `throughput`; and
/// that time priced at the agent's rate, USD per million inferences, for
/// `cost`. Lower is better for all three, so `medianRatio` (runner-up ÷ best)
/// above 1 means the best target leads.
public struct Significance: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        /// p < α: the best target really is better.
        case significant
        /// p ≥ α, or a lead within the run-to-run change of the two targets:
        /// the data cannot tell the two apart.
        case indistinguishable
        /// One of the two has no raw samples to test.
        case untested
    }

    public var verdict: Verdict
    public var test: MannWhitney?
    public var medianRatio: Double?
    /// The larger of the two targets' own p50 change between their previous
    /// benchmark of this model and this one (|current ÷ previous − 1|); nil
    /// without history. A lead no larger than this is run-to-run variation,
    /// whatever the within-run test says: the test sees one run of each.
    public var runToRunChange: Double?
    public var alpha: Double
    /// What was compared, for people ("latency ms", …).
    public var quantity: String
    /// Caveats: a sample too small for the normal approximation, missing samples.
    public var notes: [String]

    public init(verdict: Verdict, test: MannWhitney?, medianRatio: Double?, alpha: Double, quantity: String, notes: [String],
                runToRunChange: Double? = nil) {
        self.verdict = verdict
        self.test = test
        self.medianRatio = medianRatio
        self.runToRunChange = runToRunChange
        self.alpha = alpha
        self.quantity = quantity
        self.notes = notes
    }
}
