/// The one way out: a report, or the reports of `--all`, in any format.
public enum ReportRenderer {
    public static func render(_ report: ModelReport, format: ReportFormat) -> String { render([report], format: format) }

    public static func render(_ reports: [ModelReport], format: ReportFormat) -> String {
        switch format {
        case .md: MarkdownRenderer.render(reports)
        case .json: JSONRenderer.render(reports)
        case .html: HTMLRenderer.render(reports)
        case .csv: CSVRenderer.render(reports)
        }
    }
}
