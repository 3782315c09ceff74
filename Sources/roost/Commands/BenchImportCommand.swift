import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostBundle
import RoostClient
import RoostCore

/// `roost bench import`: store an offline board's results file. The scheduler
/// verifies it (its own bundle, the seal, every result) and stores each result
/// once: importing the same file again reports "already imported" and changes nothing.
struct BenchImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Verify and store the results file 'roost agent run-bundle' wrote; importing it again changes nothing.")

    @Argument(help: "The results file.") var results: String
    @Flag(help: "Print the outcome as JSON.") var json = false
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await runReportingErrors {
            let data = try BundleFile.read(URL(fileURLWithPath: results), what: "results")
            // Checked here first, so a truncated or wrong file is named without a round trip.
            let file = try BundleResultsFile.decode(data)
            let reply = try await admin.client().importBundleResults(data)
            if json {
                print(CanonicalJSON.pretty(reply))
            } else {
                print("bundle \(reply.bundleID) (benchmark \(reply.benchmarkID)), agent \(reply.agentName): \(file.manifest.results.count) result(s)")
                for job in reply.jobs {
                    print("  job \(job.jobID): \(job.outcome.rawValue)\(job.message.map { " (\($0))" } ?? "")")
                }
            }
            if reply.anyRefused {
                FileHandle.standardError.write(Data("error: \(reply.jobs.filter { $0.outcome == .refused }.count) result(s) refused\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
