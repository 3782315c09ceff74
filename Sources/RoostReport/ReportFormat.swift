import RoostCore

/// Output formats of `roost report`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case md, json, html

    public func render(_ reports: [ComparisonReport]) -> String {
        switch self {
        case .md: MarkdownRenderer.render(reports)
        case .html: HTMLRenderer.render(reports)
        case .json: CanonicalJSON.pretty(reports) + "\n"
        }
    }
}
