/// The report's answer to "which target should I use?": the best target for
/// the objective under the constraints, the runner-up, whether the lead is
/// statistically real, and what was excluded and why.
public struct Recommendation: Codable, Sendable, Equatable {
    public var objective: Objective
    public var constraints: Constraints
    /// Nil when no target meets the constraints.
    public var best: RankedTarget?
    public var runnerUp: RankedTarget?
    /// Best against runner-up; nil without a runner-up.
    public var significance: Significance?
    /// Every target that could not be recommended, with every reason.
    public var excluded: [ExcludedTarget]
    /// One or two sentences for people.
    public var summary: String

    public init(objective: Objective, constraints: Constraints, best: RankedTarget?, runnerUp: RankedTarget?,
                significance: Significance?, excluded: [ExcludedTarget], summary: String) {
        self.objective = objective
        self.constraints = constraints
        self.best = best
        self.runnerUp = runnerUp
        self.significance = significance
        self.excluded = excluded
        self.summary = summary
    }
}

extension Recommendation {
    /// `best`, `runnerUp` and `significance` are written as `null` when absent: "nothing feasible" is an answer.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(objective, forKey: .objective)
        try c.encode(constraints, forKey: .constraints)
        try c.encode(best, forKey: .best)
        try c.encode(runnerUp, forKey: .runnerUp)
        try c.encode(significance, forKey: .significance)
        try c.encode(excluded, forKey: .excluded)
        try c.encode(summary, forKey: .summary)
    }
}
