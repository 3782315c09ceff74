import Foundation
import RoostCore

/// Everything `roost report` says about one model: the matrix, the
/// recommendation, the trade-off and the history. Renderers only format it.
public struct ModelReport: Codable, Sendable, Equatable {
    public var model: ModelInfo
    public var generatedAt: Date
    public var options: ReportOptions
    /// Ranked by the objective's figure, best first.
    public var rows: [MatrixRow]
    /// Results that carried nothing to rank.
    public var unmeasured: [ExcludedTarget]
    public var recommendation: Recommendation
    public var tradeoff: Tradeoff
    /// Nil when the data carried no baseline rows.
    public var history: History?
    /// Stored results that could not be read: listed with their job, left out of everything else.
    public var unreadable: [UnreadableRow] = []

    public init(model: ModelInfo, generatedAt: Date, options: ReportOptions, rows: [MatrixRow], unmeasured: [ExcludedTarget],
                recommendation: Recommendation, tradeoff: Tradeoff, history: History?) {
        self.model = model
        self.generatedAt = generatedAt
        self.options = options
        self.rows = rows
        self.unmeasured = unmeasured
        self.recommendation = recommendation
        self.tradeoff = tradeoff
        self.history = history
    }

    public func row(id: String) -> MatrixRow? { rows.first { $0.id == id } }

    /// "best", "runner-up" or nil: the row's part in the recommendation.
    public func role(of row: MatrixRow) -> String? {
        row.id == recommendation.best?.id ? "best" : row.id == recommendation.runnerUp?.id ? "runner-up" : nil
    }

    public func change(of row: MatrixRow) -> RowChange? { history?.changes.first { $0.id == row.id } }
}

extension ModelReport {
    /// `history` is written as `null` when there was no baseline.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(generatedAt, forKey: .generatedAt)
        try c.encode(options, forKey: .options)
        try c.encode(rows, forKey: .rows)
        try c.encode(unmeasured, forKey: .unmeasured)
        try c.encode(recommendation, forKey: .recommendation)
        try c.encode(tradeoff, forKey: .tradeoff)
        try c.encode(history, forKey: .history)
        try c.encode(unreadable, forKey: .unreadable)
    }
}
