/// Everything `roost report` lets the user choose about a report's
/// conclusions; rendering choices (format, output file) stay with the caller.
public struct ReportOptions: Codable, Sendable, Equatable {
    public var objective: Objective
    public var constraints: Constraints
    /// INVALID results are excluded from the recommendation unless this is set.
    public var includeInvalid: Bool
    /// Results from `degraded` or `quarantined` agents are excluded unless this is set.
    public var includeUnhealthyAgents: Bool
    /// Significance level of the Mann–Whitney tests.
    public var alpha: Double
    /// A matched row's p50 ratio (current ÷ baseline) above this, and significant, is a
    /// regression; below its reciprocal, and significant, an improvement.
    public var regressionRatio: Double

    /// Agent states whose numbers are not trusted by default.
    public static let unhealthyAgentStates: Set<String> = ["degraded", "quarantined"]

    public init(objective: Objective = .latency, constraints: Constraints = Constraints(), includeInvalid: Bool = false,
                includeUnhealthyAgents: Bool = false, alpha: Double = 0.05, regressionRatio: Double = 1.05) {
        self.objective = objective
        self.constraints = constraints
        self.includeInvalid = includeInvalid
        self.includeUnhealthyAgents = includeUnhealthyAgents
        self.alpha = alpha
        self.regressionRatio = regressionRatio
    }
}
