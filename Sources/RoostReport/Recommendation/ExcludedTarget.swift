/// A target that may not be recommended, with every reason, so a report can
/// say why the fastest number on the page did not win.
public struct ExcludedTarget: Codable, Sendable, Equatable {
    /// The matrix row's id (or, for a result without statistics, its would-be id).
    public var id: String
    public var label: String
    public var exclusions: [Exclusion]

    public init(id: String, label: String, exclusions: [Exclusion]) {
        self.id = id
        self.label = label
        self.exclusions = exclusions
    }
}
