/// A recommended target (or the runner-up) and the figure it was ranked by.
public struct RankedTarget: Codable, Sendable, Equatable {
    public var id: String
    public var label: String
    /// The objective's figure: p50 ms, inferences/s or USD per 1M inferences.
    public var value: Double

    public init(id: String, label: String, value: Double) {
        self.id = id
        self.label = label
        self.value = value
    }
}
