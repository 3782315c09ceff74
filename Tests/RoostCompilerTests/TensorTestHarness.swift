import Foundation
import Testing
import RoostCore
@testable import RoostCompiler
@testable import RoostRuntime

/// Builds one-node graphs and checks an operator two ways: compiled and run by the
/// runtime kernels, and evaluated by the constant folder on the same inputs.
enum TensorHarness {
    static let target = TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1)

    /// Compiles `graph` with the standard pass pipeline and runs it once.
    static func run(_ graph: Graph, _ inputs: [HostTensor]) throws -> [HostTensor] {
        var g = graph
        for pass in Compiler().passes { try pass.run(&g) }
        let (plan, weights) = try PlanBuilder().build(g)
        let header = ArtifactHeader(compilerVersion: "test", target: target, modelSHA256: "", modelName: "t")
        let artifact = try ArtifactCodec.decode(ArtifactCodec.encode(Artifact(header: header, plan: plan, weights: weights)))
        return try InferenceSession(artifact: artifact).run(inputs)
    }

    /// A graph of one `op` node. Inputs `0..<fed` are graph inputs, the rest constants;
    /// nil marks an omitted optional input. Outputs are `y0`, `y1`, ….
    static func graph(_ op: String, _ inputs: [HostTensor?], types: [ElementType] = [], attributes: [String: NodeAttribute] = [:],
                      outputs: Int = 1, fed: Int = 1, opset: Int = 17) -> Graph {
        var names: [String] = [], graphInputs: [String] = []
        var constants: [String: HostTensor] = [:], shapes: [String: [Int]] = [:], typeMap: [String: ElementType] = [:]
        for (i, t) in inputs.enumerated() {
            guard let t else { names.append(""); continue }
            let name = "x\(i)"
            names.append(name)
            if i < fed {
                graphInputs.append(name)
                shapes[name] = t.shape
            } else {
                constants[name] = t
            }
            if i < types.count { typeMap[name] = types[i] }
        }
        let outs = (0..<outputs).map { "y\($0)" }
        let node = Node(name: "n", opType: op, inputs: names, outputs: outs, attributes: attributes)
        return Graph(nodes: [node], inputs: graphInputs, outputs: outs, constants: constants, shapes: shapes, types: typeMap, opset: opset)
    }

    /// The runtime result (first `fed` inputs fed at run time) and the constant
    /// folder's result (all inputs constant), which must agree.
    static func evaluate(_ op: String, _ inputs: [HostTensor?], types: [ElementType] = [], attributes: [String: NodeAttribute] = [:],
                         outputs: Int = 1, fed: Int = 1, opset: Int = 17) throws -> (run: [HostTensor], folded: [HostTensor]?) {
        let g = graph(op, inputs, types: types, attributes: attributes, outputs: outputs, fed: fed, opset: opset)
        let fedInputs = inputs.prefix(fed).compactMap { $0 }
        let ran = try run(g, fedInputs)
        let all = graph(op, inputs, types: types, attributes: attributes, outputs: outputs, fed: 0, opset: opset)
        let folded = try ConstantEvaluator().evaluate(all.nodes[0], in: all)
        return (ran, folded)
    }

    /// Expects output 0 of `op` to equal `expected` (shape and values) at run time and when folded.
    static func expect(_ op: String, _ inputs: [HostTensor?], types: [ElementType] = [], attributes: [String: NodeAttribute] = [:],
                       fed: Int = 1, opset: Int = 17, folds: Bool = true, tolerance: Float = 1e-6, _ expected: HostTensor,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (ran, folded) = try evaluate(op, inputs, types: types, attributes: attributes, fed: fed, opset: opset)
        #expect(ran[0].shape == expected.shape, "runtime shape \(ran[0].shape)", sourceLocation: sourceLocation)
        #expect(ran[0].isClose(to: expected, rtol: tolerance, atol: tolerance), "runtime \(ran[0].data) ≠ \(expected.data)", sourceLocation: sourceLocation)
        if folds {
            let f = try #require(folded, "\(op) was not folded", sourceLocation: sourceLocation)
            #expect(f[0].shape == expected.shape, "folded shape \(f[0].shape)", sourceLocation: sourceLocation)
            #expect(f[0].isClose(to: expected, rtol: tolerance, atol: tolerance), "folded \(f[0].data) ≠ \(expected.data)", sourceLocation: sourceLocation)
        }
    }
}

/// Shorthand for test tensors.
func T(_ shape: [Int], _ data: [Float]) -> HostTensor { HostTensor(shape: shape, data: data) }
/// An int64 list (axes, shapes, indices) as it arrives from ONNX: float32 values.
func I(_ values: [Int]) -> HostTensor { HostTensor(shape: [values.count], data: values.map { Float($0) }) }
