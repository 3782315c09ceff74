import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostBundle
import RoostClient
import RoostCore
import RoostONNX

/// `roost bench export`: benchmark a model on a board without network. The
/// scheduler plans the jobs as `bench queue` does — the selector matched
/// against the board's probed profile (or the agents it knows) — creates them
/// `exported`, and answers one bundle file for `roost agent run-bundle`.
struct BenchExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Create a benchmark's jobs for an offline board and write them, with signed artifacts and reference data, to one bundle file.")

    @Argument(help: "The ONNX model file.") var model: String
    @Argument(help: "Where to write the bundle (e.g. pi5.bundle).") var out: String
    @Option(help: "Boards to plan for, as in 'bench queue': 'all', or terms like arch=aarch64,isa=aarch64-neon,name=NAME,KEY=VALUE,cpus>=N.") var targets = "all"
    @Option(help: "The board's hardware profile: 'roost agent probe --json' run on the board. Without it, the selector matches the agents the scheduler knows, in any state.") var targetProfile: String?
    @Option(help: "The board's name in selectors and reports (default: the profile file's name, e.g. pi5 for pi5.json).") var board: String?
    @Option(name: .customLong("tag"), help: "A KEY=VALUE tag of the board, for selectors (repeatable).") var tags: [String] = []
    @Option(help: "Model name in reports (default: the file name, or its folder for model.onnx).") var name: String?
    @Option(help: "single-stream, offline, server or cold-start.") var scenario = "single-stream"
    @Option(help: "quick, standard or rigorous.") var profile = "quick"
    @Option(help: "Comma-separated engines (native, onnxruntime, …); each must be in the board's profile.") var engines = "native"
    @Option(help: "Override the profile's minimum timed seconds per job.") var minSeconds: Double?
    @Option(help: "Override the profile's minimum timed queries per job.") var minIterations: Int?
    @Option(name: .customLong("label"), help: "key=value stored with the benchmark (repeatable).") var labels: [String] = []
    @Flag(help: "Print the bundle's manifest (without its result key) as JSON.") var json = false
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await runReportingErrors {
            if let minSeconds, !(minSeconds > 0 && minSeconds <= 3600) { throw RoostError.invalidArgument("--min-seconds must be in (0, 3600]") }
            if let minIterations, minIterations <= 0 { throw RoostError.invalidArgument("--min-iterations must be positive") }
            guard let scenario = Scenario(rawValue: scenario) else {
                throw RoostError.invalidArgument("--scenario must be one of \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let profile = BenchmarkProfile(rawValue: profile) else {
                throw RoostError.invalidArgument("--profile must be one of \(BenchmarkProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let engineList = engines.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let unknown = engineList.first(where: { EngineCatalog.descriptor(named: $0) == nil }) {
                throw RoostError.invalidArgument("--engines: unknown engine '\(unknown)'; known: \(EngineCatalog.names.joined(separator: ", "))")
            }
            _ = try TargetSelector(parsing: targets)
            let labelSet = try BenchmarkLabels.parse(all: labels)
            let boards = try targetProfile.map { [try Self.board(profile: URL(fileURLWithPath: $0), name: board, tags: tags)] }
            if targetProfile == nil, board != nil || !tags.isEmpty {
                throw RoostError.invalidArgument("--board and --tag describe the board of --target-profile; give its probed profile too")
            }
            let output = URL(fileURLWithPath: out)
            guard FileManager.default.fileExists(atPath: output.deletingLastPathComponent().path) else {
                throw RoostError.notFound("no folder \(output.deletingLastPathComponent().path) for the bundle")
            }
            let url = URL(fileURLWithPath: model)
            let parsed = try ONNXModel.load(from: url)
            let client = try admin.client()
            let info = try await client.uploadModel(try Data(contentsOf: url), name: name ?? ModelNaming.name(for: url))
            guard info.sha256 == parsed.sha256 else { throw RoostError.io("the scheduler stored the model under another digest") }
            if let reference = try ReferenceFiles.load(besideModel: url) { try await client.uploadReference(reference, model: info.sha256) }
            let spec = BenchmarkSpec(scenario: scenario, profile: profile, minSeconds: minSeconds, minIterations: minIterations)
            let data = try await client.exportBundle(BundleExportRequest(modelSHA256: info.sha256, targets: targets, spec: spec, engines: engineList,
                                                                         labels: labelSet.isEmpty ? nil : labelSet, boards: boards))
            // Read back before it is written: what the board will get is a bundle this roost can read.
            let bundle = try OfflineBundle.decode(data)
            try BundleFile.write(data, to: output)
            var shown = bundle.manifest
            shown.resultKey = "(secret)"
            if json { print(CanonicalJSON.pretty(shown)); return }
            print("exported bundle \(shown.bundleID) (benchmark \(shown.benchmarkID)) of \(info.name): \(shown.jobs.count) job(s), \(data.count) bytes, to \(output.path)")
            for job in shown.jobs { print("  \(job.jobID.prefix(8))  \(job.board)  \(job.target.label)  artifact \(job.artifact.sha256.prefix(12))") }
            print("on the board: roost agent run-bundle \(output.lastPathComponent) RESULTS; then here: roost bench import RESULTS")
        }
    }

    /// The offline board of `--target-profile`: its probe, named by `--board` or the file.
    static func board(profile file: URL, name: String?, tags raw: [String]) throws -> OfflineBoard {
        let data = try BundleFile.read(file, what: "target profile")
        let hardware: HardwareProfile
        do { hardware = try CanonicalJSON.decode(HardwareProfile.self, from: data) } catch {
            throw RoostError.invalidArgument("\(file.path) is not a hardware profile (make one with 'roost agent probe --json' on the board): \(error)")
        }
        let boardName = name ?? file.deletingPathExtension().lastPathComponent
        guard OfflineBoard.isValidName(boardName) else {
            throw RoostError.invalidArgument("board name '\(boardName)' must be 1-64 letters, digits, '-', '_' or '.'; name it with --board")
        }
        var tags: [String: String] = [:]
        for t in raw {
            let kv = t.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else { throw RoostError.invalidArgument("tag '\(t)' must be KEY=VALUE") }
            tags[kv[0]] = kv[1]
        }
        return OfflineBoard(name: boardName, tags: tags.isEmpty ? nil : tags, hardware: hardware)
    }
}
