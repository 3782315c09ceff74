/// The report's comparison with a baseline benchmark (`--compare-to`, or the
/// previous benchmark of the model on the same agents).
public struct History: Codable, Sendable, Equatable {
    public var baselineBenchmarkIDs: [String]
    /// One per row present in both, in matrix order.
    public var changes: [RowChange]
    /// Rows with no baseline counterpart (new targets).
    public var newRows: [String]
    /// Baseline rows the current benchmark did not measure.
    public var missingRows: [String]
    /// The thresholds used, so the numbers can be read without the options.
    public var regressionRatio: Double
    public var alpha: Double
    /// Each baseline benchmark's labels (commit, branch), by id; empty for unlabelled ones.
    public var baselineLabels: [String: [String: String]]?

    public init(baselineBenchmarkIDs: [String], changes: [RowChange], newRows: [String], missingRows: [String],
                regressionRatio: Double, alpha: Double, baselineLabels: [String: [String: String]]? = nil) {
        self.baselineLabels = baselineLabels
        self.baselineBenchmarkIDs = baselineBenchmarkIDs
        self.changes = changes
        self.newRows = newRows
        self.missingRows = missingRows
        self.regressionRatio = regressionRatio
        self.alpha = alpha
    }

    public var regressions: [RowChange] { changes.filter { $0.verdict == .regression } }
    public var improvements: [RowChange] { changes.filter { $0.verdict == .improvement } }
}
