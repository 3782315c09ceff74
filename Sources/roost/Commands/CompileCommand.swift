import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCompiler
import RoostCore

/// `roost compile`: ONNX → target-specialized artifact, the same step the scheduler runs per target.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compile", abstract: "Compile an ONNX model into a target-specialized .roost artifact.")
    @Argument(help: "The ONNX model.") var model: String
    @Option(help: "Named target (x86_64-avx512, x86_64-avx2, aarch64-neon, …; '@N' sets threads), 'host', or a probe JSON file.") var target: String
    @Option(help: "Output artifact file.") var out: String
    @Option(name: .customLong("input-shape"), help: "Bind an input's shape, e.g. input=1x3x224x224 (repeatable).") var inputShapes: [String] = []
    @Option(help: "Model name recorded in the artifact (default: from the file name).") var name: String?

    func run() throws {
        try runReportingErrors {
            let spec = try TargetArgument.resolve(target)
            let url = URL(fileURLWithPath: model)
            let artifact = try Compiler().compile(modelAt: url, name: name ?? ModelNaming.name(for: url), target: spec,
                                                  inputShapes: try TargetArgument.inputShapes(inputShapes))
            let sha256 = try ArtifactCodec.write(artifact, to: URL(fileURLWithPath: out))
            print("\(out): \(artifact.plan.steps.count) steps for \(spec.label), sha256 \(sha256)")
        }
    }
}
