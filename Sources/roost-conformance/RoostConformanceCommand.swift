import ArgumentParser
import Foundation
import RoostConformance
import RoostCore

/// `roost-conformance DIR`: runs the ONNX backend node tests through Roost's
/// compiler and runtime and guards the passing set against regressions.
@main
struct RoostConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roost-conformance",
        abstract: "Run the ONNX backend node tests through the Roost compiler and runtime.",
        discussion: """
            DIR is the output of scripts/onnx-node-tests.sh (holding node/test_*). Prints one line per \
            failing case, a per-operator summary, 'of which B passed with shape-like inputs bound as \
            constants' and, last, 'N passed, M failed, K skipped'. Without --expected the exit status is \
            non-zero when any case failed; with it, only when a listed case did not pass.

            A case refused only because a shape-like operand (Reshape's shape, Slice's starts, Resize's \
            sizes, a Reduce's axes, …) is a graph input is compiled again per test data set with those \
            inputs bound to the data set's values, as a user pins them at compile time. Only inputs used \
            solely in such positions are bound (Sources/RoostConformance/ShapeOperandTable.swift); \
            --no-bind-shape-inputs skips those cases instead.
            """)

    @Argument(help: "Folder with the generated node tests (its node/ subfolder, or node/ itself).")
    var directory: String

    @Option(help: "Cases that must pass (one name per line, # comments); exit non-zero if any does not.")
    var expected: String?

    @Flag(help: "Rewrite the --expected file with the cases that pass now.")
    var updateExpected = false

    @Flag(help: "Print every case as it runs and list every operator and skip reason.")
    var verbose = false

    @Option(help: "Run only the cases whose name contains this.")
    var filter: String?

    @Flag(inversion: .prefixedNo,
          help: "Bind shape-like graph inputs (Reshape shape, Slice starts, …) as constants from each test data set when the model needs them at compile time.")
    var bindShapeInputs = true

    func validate() throws {
        if updateExpected && expected == nil { throw ValidationError("--update-expected needs --expected FILE") }
    }

    func run() throws {
        let runner = ConformanceRunner(directory: URL(fileURLWithPath: directory), bindShapeInputs: bindShapeInputs)
        let report: ConformanceReport
        do {
            report = try runner.run(
                filter: filter,
                willRun: { name in
                    // Flushed before the case runs, so a crash names the case that caused it.
                    if verbose { Self.write("RUN  \(name)\n", to: .standardError) }
                },
                didRun: { result in
                    let bound = result.boundShapeInputs ? " [bound: \(result.boundInputs.joined(separator: ", "))]" : ""
                    switch result.outcome {
                    case .passed: if verbose { Self.out("PASS \(result.name)\(bound)") }
                    case .failed(let why): Self.out("FAIL \(result.name)\(bound): \(why)")
                    case .skipped(let reason): if verbose { Self.out("SKIP \(result.name)\(bound): \(reason.message)") }
                    }
                })
        } catch {
            Self.write("error: \(error)\n", to: .standardError)
            throw ExitCode.failure
        }
        guard !report.results.isEmpty else {
            Self.write("error: no test_* cases in \(runner.casesDirectory.path)\(filter.map { " matching '\($0)'" } ?? "")\n", to: .standardError)
            throw ExitCode.failure
        }

        var status: Int32 = report.failed > 0 ? 1 : 0
        var notes: [String] = []
        if let expected {
            let url = URL(fileURLWithPath: expected)
            let hasList = FileManager.default.fileExists(atPath: url.path)
            let list = hasList ? try ExpectedPassList(contentsOf: url) : ExpectedPassList(names: [])
            if updateExpected {
                let updated = list.updated(with: report, filter: filter)
                try updated.write(to: url)
                let dropped = Set(list.names).subtracting(updated.names).count
                let added = Set(updated.names).subtracting(list.names).count
                notes.append("updated \(expected): \(updated.names.count) cases (\(added) added, \(dropped) removed)")
                status = 0
            } else {
                guard hasList else {
                    Self.write("error: \(expected) does not exist; create it with --update-expected\n", to: .standardError)
                    throw ExitCode.failure
                }
                let regressions = list.regressions(in: report, filter: filter)
                for r in regressions { notes.append("REGRESSION \(r.name): \(r.reason)") }
                let listed = Set(list.names)
                let newlyPassing = report.passedNames.filter { !listed.contains($0) }
                if !newlyPassing.isEmpty {
                    notes.append("\(newlyPassing.count) passing case(s) are not in \(expected); add them with --update-expected")
                }
                notes.append(regressions.isEmpty
                    ? "no regressions against \(expected) (\(list.names.count) listed)"
                    : "\(regressions.count) regression(s) against \(expected)")
                status = regressions.isEmpty ? 0 : 1
            }
        }
        let summary = report.summary(verbose: verbose)
        for line in summary.dropLast(report.closingLines.count) { Self.out(line) }
        for note in notes { Self.out(note) }
        for line in report.closingLines { Self.out(line) }
        if status != 0 { throw ExitCode(status) }
    }

    /// Unbuffered, so a crash in a later case loses no line already printed.
    static func out(_ line: String) { write(line + "\n", to: .standardOutput) }

    static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}
