import RoostCore

/// The gate's finding for one model × target × engine (one job of the benchmark):
/// one JUnit test case, one row of the summary.
public struct GateCase: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case passed
        /// Slower beyond the threshold and significant; gating with `--fail-on-regression`.
        case regression
        case accuracyFailure = "accuracy-failure"
        case noValidResult = "no-valid-result"
    }

    /// The model's name (JUnit `classname`).
    public var model: String
    /// The agent that ran it (or was meant to), `-` when none leased it.
    public var agent: String
    public var engine: String
    /// The compiled target's label (ISA / BLAS core / threads / engine).
    public var target: String
    public var jobID: String
    public var outcome: Outcome
    /// One line saying why, with the figures; empty for a plain pass.
    public var message: String
    public var p50Ms: Double?
    public var baselineP50Ms: Double?
    public var ratio: Double?
    public var pValue: Double?
    /// The comparison's verdict (`regression`, `improvement`, `unchanged`, `untested`), nil without a baseline row.
    public var verdict: String?
    /// Seconds of timed queries (sum of the samples): JUnit's `time`.
    public var seconds: Double

    /// `model · agent · engine`, unique within a benchmark; the JUnit test name is the part after the model.
    public var name: String { "\(agent) · \(engine) · \(target)" }

    public init(model: String, agent: String, engine: String, target: String, jobID: String, outcome: Outcome, message: String,
                p50Ms: Double? = nil, baselineP50Ms: Double? = nil, ratio: Double? = nil, pValue: Double? = nil,
                verdict: String? = nil, seconds: Double = 0) {
        self.model = model
        self.agent = agent
        self.engine = engine
        self.target = target
        self.jobID = jobID
        self.outcome = outcome
        self.message = message
        self.p50Ms = p50Ms
        self.baselineP50Ms = baselineP50Ms
        self.ratio = ratio
        self.pValue = pValue
        self.verdict = verdict
        self.seconds = seconds
    }
}
