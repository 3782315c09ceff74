/// Output formats of `roost report` (`--format`).
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Terminals and pull requests.
    case md
    /// Machines: `ReportDocument`, shaped by `docs/report.schema.json`.
    case json
    /// One self-contained page with inline SVG charts.
    case html
    /// Spreadsheets: one line per matrix row.
    case csv

    public func render(_ reports: [ModelReport]) -> String { ReportRenderer.render(reports, format: self) }
}
