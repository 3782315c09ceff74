import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCore
import RoostReport

/// `roost report --model NAME|DIGEST`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Compare a model's results across the farm's hardware.")
    @Option(help: "Model name or sha256 digest (or a unique prefix).") var model: String
    @Option(help: "md, json, html or csv.") var format = "md"
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await runReportingErrors {
            guard let fmt = ReportFormat(rawValue: format) else {
                throw RoostError.invalidArgument("--format must be one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let data = try await admin.client().reportData(model: model)
            let text = ReportRenderer.render(ReportBuilder.build(data: data), format: fmt)
            if let out { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) } else { print(text, terminator: "") }
        }
    }
}
