import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCore

/// `roost inspect`: what the compiler decided — the plan after fusion, memory, target, versions.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show a compiled artifact's plan, memory, target and versions.")
    @Argument(help: "A .roost artifact.") var artifact: String
    @Flag(help: "Print the header and plan as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: artifact)) } catch {
                throw RoostError.io("cannot read \(artifact): \(error.localizedDescription)")
            }
            let a = try ArtifactCodec.decode(data)
            if json {
                struct Dump: Encodable { var header: ArtifactHeader; var plan: ExecutionPlan; var weightElements: Int; var sha256: String }
                print(CanonicalJSON.pretty(Dump(header: a.header, plan: a.plan, weightElements: a.weights.count, sha256: Digest.sha256Hex(of: data))))
                return
            }
            let h = a.header
            var out = """
                artifact:  \(artifact) (\(data.count) bytes, sha256 \(Digest.sha256Hex(of: data)))
                format:    v\(h.formatVersion), compiler \(h.compilerVersion)
                model:     \(h.modelName) sha256 \(h.modelSHA256)
                target:    \(h.target.label) (signature \(h.targetSignature))
                decisions: \(h.decisions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
                memory:    arena \(a.plan.arenaElements * 4) bytes, weights \(a.weights.count * 4) bytes
                inputs:    \(a.plan.inputs.map { "\($0.name) \(a.plan.values[$0.valueID].shape)" }.joined(separator: ", "))
                outputs:   \(a.plan.outputs.map { "\($0.name) \(a.plan.values[$0.valueID].shape)" }.joined(separator: ", "))
                steps (\(a.plan.steps.count), after fusion):

                """
            for (i, s) in a.plan.steps.enumerated() {
                let shapes = s.outputs.filter { $0 >= 0 && $0 < a.plan.values.count }.map { "\(a.plan.values[$0].shape)" }.joined(separator: ", ")
                let attrs = ["algorithm", "convKernel", "gemm", "packedWeights", "simd", TensorLayout.inputAttribute, TensorLayout.outputAttribute, "activation"].compactMap { k in s.attributes[k]?.string.map { "\(k)=\($0)" } }.joined(separator: " ")
                let index = String(i).leftPadded(to: 4)
                out += "\(index)  \(s.kernel.padding(toLength: max(18, s.kernel.count), withPad: " ", startingAt: 0)) -> \(shapes)  \(attrs)  (\(s.origin))\n"
            }
            print(out, terminator: "")
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
