import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCompiler
import RoostCore
import RoostONNX
import RoostProbe
import RoostRuntime

/// `roost infer`: run a model once on TensorProto inputs and write TensorProto outputs.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "infer", abstract: "Run a model or artifact on input .pb files; write output_K.pb files.")
    @Argument(help: "An ONNX model (compiled for this host first) or a .roost artifact.") var model: String
    @Option(name: .customLong("input"), help: "An input TensorProto file, in graph-input order (repeatable).") var inputs: [String] = []
    @Option(help: "Directory for output_0.pb, output_1.pb, …") var outputDir: String
    @Option(name: .customLong("input-shape"), help: "Bind an input's shape when compiling an ONNX model (repeatable).") var inputShapes: [String] = []

    func run() throws {
        try runReportingErrors {
            let host = HardwareProbe().probe()
            let url = URL(fileURLWithPath: model)
            let artifact: Artifact
            if url.pathExtension == "roost" {
                let data: Data
                do { data = try Data(contentsOf: url) } catch { throw RoostError.io("cannot read \(model): \(error.localizedDescription)") }
                artifact = try ArtifactCodec.decode(data)
                try TargetCompatibility.check(artifact.header, host: host)
            } else {
                artifact = try Compiler().compile(modelAt: url, target: TargetSpec(hardware: host), inputShapes: try TargetArgument.inputShapes(inputShapes))
            }
            let tensors = try inputs.map { try TensorProtoCodec.read(from: URL(fileURLWithPath: $0)) }
            OpenBLAS.setThreads(artifact.header.target.threads)
            let outputs = try InferenceSession(artifact: artifact).run(tensors)
            let dir = URL(fileURLWithPath: outputDir)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (i, (tensor, io)) in zip(outputs, artifact.plan.outputs).enumerated() {
                let file = dir.appendingPathComponent("output_\(i).pb")
                try TensorProtoCodec.write(tensor, name: io.name, to: file)
                print("\(file.path): \(io.name) \(tensor.shape)")
            }
        }
    }
}
