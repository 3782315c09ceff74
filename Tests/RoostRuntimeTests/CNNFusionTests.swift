import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// Fused epilogues and BatchNorm folding give the same numbers as the unfused
/// operators, and the plans show the fusion happened.
@Suite struct CNNFusionTests {
    typealias S = CNNTestSupport

    /// Compiles a graph with the standard pipeline minus the passes `skip` rejects.
    func artifact(_ graph: Graph, skipping skip: (any GraphPass) -> Bool = { _ in false }) throws -> Artifact {
        var g = graph
        for pass in Compiler().passes where !skip(pass) { try pass.run(&g) }
        let (plan, weights) = try PlanBuilder().build(g)
        return Artifact(header: ArtifactHeader(compilerVersion: "test", target: S.target(), modelSHA256: "", modelName: "t"), plan: plan, weights: weights)
    }

    func convBatchNormModel() throws -> (ONNXModel, HostTensor, [HostTensor]) {
        var b = ModelBuilder(name: "bn")
        let x = b.input("x", shape: [2, 3, 9, 9])
        let w = HostTensor.seeded(shape: [8, 3, 3, 3], seed: 1), bias = HostTensor.seeded(shape: [8], seed: 2)
        var variance = HostTensor.seeded(shape: [8], seed: 6)
        variance.data = variance.data.map { $0 * $0 + 0.1 }
        let params = [HostTensor.seeded(shape: [8], seed: 3), HostTensor.seeded(shape: [8], seed: 4), HostTensor.seeded(shape: [8], seed: 5), variance]
        let c = b.node("Conv", [x, b.initializer("w", w), b.initializer("b", bias)], attributes: ["pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 2])])
        let names = ["scale", "shift", "mean", "var"].enumerated().map { b.initializer($1, params[$0]) }
        let n = b.node("BatchNormalization", [c] + names, attributes: ["epsilon": .float(1e-3)])
        b.node("Relu", [n], output: "y")
        b.output("y", shape: [])
        return (try ONNXModel(data: b.serialized()), HostTensor.seeded(shape: [2, 3, 9, 9], seed: 7), [w, bias] + params)
    }

    @Test func batchNormFoldingMatchesUnfoldedAndReference() throws {
        let (model, x, p) = try convBatchNormModel()
        let graph = try ONNXImporter().importGraph(model)
        let folded = try artifact(graph)
        let unfolded = try artifact(graph) { $0 is BatchNormFolding }
        #expect(folded.plan.steps.map(\.kernel) == ["conv"])
        #expect(folded.plan.steps[0].attributes["activation"] == .string("relu"))
        #expect(unfolded.plan.steps.map(\.kernel) == ["conv", "batch_norm", "relu"])
        let a = try InferenceSession(artifact: folded).run([x])[0]
        let b = try InferenceSession(artifact: unfolded).run([x])[0]
        #expect(a.isClose(to: b, rtol: 1e-5, atol: 1e-5), "max diff \(a.maxAbsDifference(to: b))")
        var want = S.batchNorm(S.conv(x, p[0], p[1], group: 1, .init(kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1])),
                               scale: p[2], bias: p[3], mean: p[4], variance: p[5], epsilon: 1e-3)
        want.data = want.data.map { max($0, 0) }
        #expect(a.isClose(to: want, rtol: 1e-4, atol: 1e-5))
    }

    @Test func batchNormStaysWhenTheConvOutputHasAnotherUser() throws {
        var b = ModelBuilder(name: "bn2")
        let x = b.input("x", shape: [1, 2, 4, 4])
        let c = b.node("Conv", [x, b.initializer("w", HostTensor.seeded(shape: [2, 2, 1, 1], seed: 1))])
        let names = (0..<4).map { b.initializer("p\($0)", HostTensor(shape: [2], data: [1, 2])) }
        b.node("BatchNormalization", [c] + names, output: "y")
        b.node("Add", [c, c], output: "z")
        b.output("y", shape: [])
        b.output("z", shape: [])
        let plan = try Compiler().compile(try ONNXModel(data: b.serialized()), name: "t", target: S.target()).plan
        #expect(plan.steps.map(\.kernel) == ["conv", "batch_norm", "binary"])
    }

    @Test func reluSixClipFusesIntoConvAndDepthwise() throws {
        var b = ModelBuilder(name: "relu6")
        let x = b.input("x", shape: [1, 4, 6, 6])
        let lo = b.initializer("lo", HostTensor(shape: [], data: [0])), hi = b.initializer("hi", HostTensor(shape: [], data: [0.6]))
        let w1 = HostTensor.seeded(shape: [8, 4, 1, 1], seed: 1), w2 = HostTensor.seeded(shape: [8, 1, 3, 3], seed: 2)
        let c1 = b.node("Conv", [x, b.initializer("w1", w1)])
        let r1 = b.node("Clip", [c1, lo, hi])
        let c2 = b.node("Conv", [r1, b.initializer("w2", w2)], attributes: ["group": .int(8), "pads": .ints([1, 1, 1, 1])])
        b.node("Clip", [c2, "", hi], output: "y")
        b.output("y", shape: [])
        let model = try ONNXModel(data: b.serialized())
        let artifact = try Compiler().compile(model, name: "t", target: S.target())
        #expect(artifact.plan.steps.map(\.kernel) == ["conv", "conv"])
        #expect(artifact.plan.steps.map { $0.attributes["algorithm"] } == [.string("gemm-1x1"), .string("direct-depthwise")])
        #expect(artifact.plan.steps[0].attributes["activationMax"] == .float(0.6))
        #expect(artifact.plan.steps[1].attributes["activationMin"] == nil)
        #expect(artifact.header.decisions["conv.algorithms"] == "direct-depthwise:1,direct-grouped:0,gemm-1x1:1,im2col-gemm:0")

        let input = HostTensor.seeded(shape: [1, 4, 6, 6], seed: 3)
        var h = S.conv(input, w1, nil, group: 1, .init(kernel: [1, 1]))
        h.data = h.data.map { min(max($0, 0), 0.6) }
        var want = S.conv(h, w2, nil, group: 8, .init(kernel: [3, 3], pads: [1, 1, 1, 1]))
        want.data = want.data.map { min($0, 0.6) }
        let got = try InferenceSession(artifact: artifact).run([input])[0]
        #expect(got.isClose(to: want, rtol: 1e-4, atol: 1e-5), "max diff \(got.maxAbsDifference(to: want))")
    }

    @Test func residualAddAndReluFuseIntoTheLaterConv() throws {
        // a = conv(x); s = conv(x) (the shortcut, computed second); y = relu(a + s):
        // only the second conv can host the Add, since a exists before it runs.
        var b = ModelBuilder(name: "res")
        let x = b.input("x", shape: [1, 4, 5, 5])
        let w1 = HostTensor.seeded(shape: [6, 4, 3, 3], seed: 1), w2 = HostTensor.seeded(shape: [6, 4, 1, 1], seed: 2)
        let bias = HostTensor.seeded(shape: [6], seed: 3)
        let a = b.node("Conv", [x, b.initializer("w1", w1)], attributes: ["pads": .ints([1, 1, 1, 1])])
        let s = b.node("Conv", [x, b.initializer("w2", w2), b.initializer("b2", bias)])
        let sum = b.node("Add", [s, a])
        b.node("Relu", [sum], output: "y")
        b.output("y", shape: [])
        let artifact = try Compiler().compile(try ONNXModel(data: b.serialized()), name: "t", target: S.target())
        #expect(artifact.plan.steps.map(\.kernel) == ["conv", "conv"])
        let second = artifact.plan.steps[1]
        #expect(second.attributes["residual"] == .int(1) && second.attributes["activation"] == .string("relu"))
        #expect(second.inputs.count == 4 && second.inputs[3] == artifact.plan.steps[0].outputs[0])

        let input = HostTensor.seeded(shape: [1, 4, 5, 5], seed: 4)
        let ya = S.conv(input, w1, nil, group: 1, .init(kernel: [3, 3], pads: [1, 1, 1, 1]))
        let ys = S.conv(input, w2, bias, group: 1, .init(kernel: [1, 1]))
        let want = HostTensor(shape: ya.shape, data: zip(ya.data, ys.data).map { max($0 + $1, 0) })
        let got = try InferenceSession(artifact: artifact).run([input])[0]
        #expect(got.isClose(to: want, rtol: 1e-4, atol: 1e-5))
    }

    @Test func residualAndLeakyReluFuseIntoADepthwiseConv() throws {
        var b = ModelBuilder(name: "dwres")
        let x = b.input("x", shape: [2, 6, 7, 9])
        let w = HostTensor.seeded(shape: [6, 1, 3, 3], seed: 1), bias = HostTensor.seeded(shape: [6], seed: 2)
        let c = b.node("Conv", [x, b.initializer("w", w), b.initializer("b", bias)], attributes: ["group": .int(6), "pads": .ints([1, 1, 1, 1])])
        let sum = b.node("Add", [x, c])
        b.output(sum, shape: [])
        var graph = try ONNXImporter().importGraph(try ONNXModel(data: b.serialized()))
        try ShapeInference().run(&graph)
        // LeakyRelu comes from the tensor family; add it in the IR and fuse it directly.
        graph.nodes.append(Node(name: "leaky", opType: "LeakyRelu", inputs: [sum], outputs: ["y"], attributes: ["alpha": .float(0.1)]))
        graph.outputs = ["y"]
        graph.shapes["y"] = graph.shapes[sum]
        try ActivationFusion().run(&graph)
        let art = try artifact(graph)
        #expect(art.plan.steps.map(\.kernel) == ["conv"])
        #expect(art.plan.steps[0].attributes["algorithm"] == .string("direct-depthwise"))
        #expect(art.plan.steps[0].attributes["residual"] == .int(1))

        let input = HostTensor.seeded(shape: [2, 6, 7, 9], seed: 3)
        let conv = S.conv(input, w, bias, group: 6, .init(kernel: [3, 3], pads: [1, 1, 1, 1]))
        let want = HostTensor(shape: conv.shape, data: zip(conv.data, input.data).map { let v = $0 + $1; return v < 0 ? 0.1 * v : v })
        let got = try InferenceSession(artifact: art).run([input])[0]
        #expect(got.isClose(to: want, rtol: 1e-4, atol: 1e-5), "max diff \(got.maxAbsDifference(to: want))")
    }

    @Test func gemmHonoursFusedClipAndLeakyRelu() throws {
        let x = HostTensor.seeded(shape: [3, 5], seed: 1), w = HostTensor.seeded(shape: [5, 4], seed: 2)
        var plain = [Float](repeating: 0, count: 12)
        for i in 0..<3 { for j in 0..<4 { for k in 0..<5 { plain[i * 4 + j] += x.data[i * 5 + k] * w.data[k * 4 + j] } } }
        let leaky: (Float) -> Float = { $0 < 0 ? $0 * 0.25 : $0 }
        let clip: (Float) -> Float = { min(max($0, -0.1), 0.2) }
        for (op, apply) in [("LeakyRelu", leaky), ("Clip", clip)] {
            let graph = Graph(
                nodes: [
                    Node(name: "gemm", opType: "Gemm", inputs: ["x", "w"], outputs: ["h"]),
                    Node(name: "act", opType: op, inputs: op == "Clip" ? ["h", "lo", "hi"] : ["h"], outputs: ["y"],
                         attributes: op == "LeakyRelu" ? ["alpha": .float(0.25)] : [:]),
                ],
                inputs: ["x"], outputs: ["y"],
                constants: ["w": w, "lo": HostTensor(shape: [], data: [-0.1]), "hi": HostTensor(shape: [], data: [0.2])],
                shapes: ["x": [3, 5]], opset: 17)
            // Fuse first: the pipeline's shape inference would want a LeakyRelu
            // lowering, which the tensor family provides.
            var fused = graph
            try ActivationFusion().run(&fused)
            let art = try artifact(fused)
            #expect(art.plan.steps.map(\.kernel) == ["gemm"], "\(op)")
            let got = try InferenceSession(artifact: art).run([x])[0]
            #expect(got.isClose(to: HostTensor(shape: [3, 4], data: plain.map(apply)), rtol: 1e-5, atol: 1e-6), "\(op): \(got.data)")
        }
    }

    @Test func unfusedClipAndAddStillRun() throws {
        // Clip and Add on a graph input: nothing to fuse into.
        var b = ModelBuilder(name: "glue")
        let x = b.input("x", shape: [2, 3])
        let c = b.node("Clip", [x, b.initializer("lo", HostTensor(shape: [], data: [-0.5])), b.initializer("hi", HostTensor(shape: [], data: [0.5]))])
        b.node("Add", [c, x], output: "y")
        b.output("y", shape: [])
        let input = HostTensor(shape: [2, 3], data: [-2, -0.25, 0, 0.25, 1, 3])
        let y = try S.run(try ONNXModel(data: b.serialized()), [input])
        #expect(y.data == [-2.5, -0.5, 0, 0.5, 1.5, 3.5])
    }
}
