import Foundation
import Testing
import RoostCore
import RoostONNX
@testable import RoostCompiler

/// The CNN family's shape inference, fusion passes and conv specialization, on
/// graphs built directly in the IR.
@Suite struct CNNCompilerTests {
    func graph(_ nodes: [Node], input: [Int], constants: [String: HostTensor] = [:], outputs: [String] = ["y"]) -> Graph {
        Graph(nodes: nodes, inputs: ["x"], outputs: outputs, constants: constants, shapes: ["x": input], opset: 17)
    }

    func inferred(_ g: Graph) throws -> Graph {
        var g = g
        try ShapeInference().run(&g)
        return g
    }

    // MARK: shapes

    @Test func convAndPoolOutputShapes() throws {
        let w = HostTensor(shape: [8, 2, 3, 3])
        let g = try inferred(graph([
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"], attributes: ["group": .int(2), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]),
            Node(name: "m", opType: "MaxPool", inputs: ["a"], outputs: ["b"], attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)]),
            Node(name: "p", opType: "AveragePool", inputs: ["b"], outputs: ["c"], attributes: ["kernel_shape": .ints([2, 2]), "auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2])]),
            Node(name: "g", opType: "GlobalMaxPool", inputs: ["c"], outputs: ["y"]),
        ], input: [2, 4, 17, 16], constants: ["w": w]))
        #expect(g.shapes["a"] == [2, 8, 9, 8])
        #expect(g.shapes["b"] == [2, 8, 4, 4])  // ceil((9 − 3)/2) + 1 = 4; ceil((8 − 3)/2) + 1 = 4
        #expect(g.shapes["c"] == [2, 8, 2, 2])
        #expect(g.shapes["y"] == [2, 8, 1, 1])
    }

    @Test func ceilModeDropsAWindowStartingInTheEndPadding() throws {
        // 3 + 1 + 1 − 2 = 3 → ceil(3/2) + 1 = 3, but the third window would start at 4 ≥ 3 + 1.
        let g = try inferred(graph([
            Node(name: "m", opType: "MaxPool", inputs: ["x"], outputs: ["y"],
                 attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "ceil_mode": .int(1)]),
        ], input: [1, 1, 3, 3]))
        #expect(g.shapes["y"] == [1, 1, 2, 2])
    }

    @Test func convTransposeOutputShapes() throws {
        let w = HostTensor(shape: [4, 3, 3, 3])
        func shape(_ attrs: [String: NodeAttribute]) throws -> [Int]? {
            try inferred(graph([Node(name: "t", opType: "ConvTranspose", inputs: ["x", "w"], outputs: ["y"], attributes: attrs)],
                               input: [1, 4, 5, 6], constants: ["w": w])).shapes["y"]
        }
        #expect(try shape([:]) == [1, 3, 7, 8])
        #expect(try shape(["strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "output_padding": .ints([1, 0])]) == [1, 3, 10, 11])
        #expect(try shape(["strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")]) == [1, 3, 10, 12])
        #expect(try shape(["strides": .ints([2, 2]), "output_shape": .ints([9, 12])]) == [1, 3, 9, 12])
        // Beyond the full extent (11 × 13): negative pads widen the output.
        #expect(try shape(["strides": .ints([2, 2]), "output_shape": .ints([12, 14])]) == [1, 3, 12, 14])
    }

    /// ONNX splits an output_shape's total padding with floor division, so a
    /// negative odd total leaves the extra element at the end, or with SAME_UPPER
    /// at the start; elements no input reaches are zero.
    @Test func convTransposeOutputShapeBeyondTheFullExtent() throws {
        // Width: stride 2 · (2 − 1) + kernel 2 = 4 outputs [1, 1, 2, 2]; asked for 5.
        let x = HostTensor(shape: [1, 1, 1, 2], data: [1, 2]), w = HostTensor(shape: [1, 1, 1, 2], data: [1, 1])
        let attrs: [String: NodeAttribute] = ["strides": .ints([1, 2]), "output_shape": .ints([1, 5])]
        try TensorHarness.expect("ConvTranspose", [x, w], attributes: attrs, folds: false, T([1, 1, 1, 5], [1, 1, 2, 2, 0]))
        var upper = attrs
        upper["auto_pad"] = .string("SAME_UPPER")
        try TensorHarness.expect("ConvTranspose", [x, w], attributes: upper, folds: false, T([1, 1, 1, 5], [0, 1, 1, 2, 2]))
        let geometry = try WindowGeometry.transposed(Node(name: "t", opType: "ConvTranspose", inputs: [], outputs: [], attributes: attrs),
                                                     spatial: [1, 2], kernel: [1, 2]).0
        #expect(geometry.pads == [0, 0, 0, -1])
    }

    @Test func windowErrorsNameTheNode() throws {
        for attrs: [String: NodeAttribute] in [["strides": .ints([0, 1])], ["pads": .ints([1, 1, 1])], ["auto_pad": .string("SAME")], ["dilations": .ints([1])]] {
            #expect {
                try inferred(graph([Node(name: "cv", opType: "Conv", inputs: ["x", "w"], outputs: ["y"], attributes: attrs)],
                                   input: [1, 1, 5, 5], constants: ["w": HostTensor(shape: [1, 1, 3, 3])]))
            } throws: { "\($0)".contains("Conv node 'cv'") }
        }
        #expect {
            try inferred(graph([Node(name: "bn", opType: "BatchNormalization", inputs: ["x", "s", "s", "s", "s"], outputs: ["y"],
                                     attributes: ["training_mode": .int(1)])],
                               input: [1, 2, 3, 3], constants: ["s": HostTensor(shape: [2])]))
        } throws: { "\($0)".contains("training_mode") }
    }

    // MARK: BatchNorm folding

    @Test func batchNormFoldsIntoConvWeightsAndBias() throws {
        let w = HostTensor(shape: [2, 1, 1, 1], data: [2, 3])
        var g = graph([
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"]),
            Node(name: "bn", opType: "BatchNormalization", inputs: ["a", "scale", "shift", "mean", "var"], outputs: ["y"], attributes: ["epsilon": .float(0)]),
        ], input: [1, 1, 2, 2], constants: [
            "w": w, "scale": HostTensor(shape: [2], data: [1, 4]), "shift": HostTensor(shape: [2], data: [0.5, -1]),
            "mean": HostTensor(shape: [2], data: [1, 2]), "var": HostTensor(shape: [2], data: [4, 16]),
        ])
        try BatchNormFolding().run(&g)
        #expect(g.nodes.count == 1 && g.nodes[0].opType == "Conv" && g.nodes[0].outputs == ["y"])
        // a = scale/√var = [0.5, 1]: W' = [1, 3]; b' = (0 − mean)·a + shift = [0, −3].
        #expect(g.constants[g.nodes[0].inputs[1]]?.data == [1, 3])
        #expect(g.constants[g.nodes[0].inputs[2]]?.data == [0, -3])
        #expect(g.constants["w"] == w, "the original weight is left for other users")
    }

    @Test func batchNormIsNotFoldedAcrossAnActivationOrWithRuntimeStatistics() throws {
        let consts: [String: HostTensor] = ["w": HostTensor(shape: [2, 1, 1, 1], data: [2, 3]), "p": HostTensor(shape: [2], data: [1, 1])]
        var g = graph([
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"]),
            Node(name: "r", opType: "Relu", inputs: ["a"], outputs: ["b"]),
            Node(name: "bn", opType: "BatchNormalization", inputs: ["b", "p", "p", "p", "p"], outputs: ["y"]),
        ], input: [1, 1, 2, 2], constants: consts)
        try BatchNormFolding().run(&g)
        #expect(g.nodes.count == 3)
        g = graph([
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"]),
            Node(name: "bn", opType: "BatchNormalization", inputs: ["a", "p", "p", "x2", "p"], outputs: ["y"]),
        ], input: [1, 1, 2, 2], constants: consts)
        try BatchNormFolding().run(&g)
        #expect(g.nodes.count == 2)
    }

    // MARK: activation fusion

    @Test func activationsFuseIntoConvGemmAndMatMulWithTheirParameters() throws {
        let cases: [(String, [String], [String: NodeAttribute], [String: PlanAttribute])] = [
            ("Relu", [], [:], ["activation": .string("relu")]),
            ("Clip", ["lo", "hi"], [:], ["activation": .string("clip"), "activationMin": .float(0), "activationMax": .float(6)]),
            ("Clip", ["", "hi"], [:], ["activation": .string("clip"), "activationMax": .float(6)]),
            ("LeakyRelu", [], ["alpha": .float(0.2)], ["activation": .string("leakyrelu"), "activationAlpha": .float(0.2)]),
            ("HardSigmoid", [], [:], ["activation": .string("hardsigmoid"), "activationAlpha": .float(0.2), "activationBeta": .float(0.5)]),
            ("Gelu", [], ["approximate": .string("tanh")], ["activation": .string("gelu_tanh")]),
        ]
        for producer in ["Conv", "Gemm", "MatMul"] {
            for (op, extra, attrs, expected) in cases {
                var g = graph([
                    Node(name: "p", opType: producer, inputs: ["x", "w"], outputs: ["a"]),
                    Node(name: "act", opType: op, inputs: ["a"] + extra, outputs: ["y"], attributes: attrs),
                ], input: [1, 1, 2, 2], constants: ["w": HostTensor(shape: [1]), "lo": HostTensor(shape: [], data: [0]), "hi": HostTensor(shape: [], data: [6])])
                try ActivationFusion().run(&g)
                #expect(g.nodes.count == 1 && g.nodes[0].outputs == ["y"], "\(producer)+\(op)")
                #expect(try ActivationFusion.kernelAttributes(of: g.nodes[0]) == expected, "\(producer)+\(op)")
            }
        }
    }

    @Test func activationIsNotFusedWhenTheProducerOutputIsUsedTwiceOrClipBoundsAreComputed() throws {
        var g = graph([
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"]),
            Node(name: "r", opType: "Relu", inputs: ["a"], outputs: ["y"]),
        ], input: [1, 1, 2, 2], outputs: ["y", "a"])
        try ActivationFusion().run(&g)
        #expect(g.nodes.count == 2)
        g = graph([
            Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"]),
            Node(name: "k", opType: "Clip", inputs: ["a", "x"], outputs: ["y"]),
        ], input: [1, 1, 2, 2])
        try ActivationFusion().run(&g)
        #expect(g.nodes.count == 2)
    }

    @Test func residualAddFusesOnlyEqualShapesIntoAnActivationFreeConv() throws {
        let w = HostTensor(shape: [1, 1, 1, 1], data: [1])
        func fused(_ other: String, shapes: [String: [Int]], convAttributes: [String: NodeAttribute] = [:]) throws -> Graph {
            var g = graph([
                Node(name: "c", opType: "Conv", inputs: ["x", "w"], outputs: ["a"], attributes: convAttributes),
                Node(name: "add", opType: "Add", inputs: ["a", other], outputs: ["y"]),
            ], input: [1, 1, 2, 2], constants: ["w": w, "row": HostTensor(shape: [2], data: [1, 2]), "same": HostTensor(shape: [1, 1, 2, 2])])
            g.shapes.merge(shapes) { a, _ in a }
            try ActivationFusion().run(&g)
            return g
        }
        let ok = try fused("x", shapes: ["a": [1, 1, 2, 2]])
        #expect(ok.nodes.count == 1 && ok.nodes[0].inputs == ["x", "w", "", "x"] && ok.nodes[0].attributes["roost.residual"] == .int(1))
        #expect(try fused("same", shapes: ["a": [1, 1, 2, 2]]).nodes.count == 1)
        #expect(try fused("row", shapes: ["a": [1, 1, 2, 2]]).nodes.count == 2, "broadcasting Add stays")
        #expect(try fused("x", shapes: [:]).nodes.count == 2, "unknown shapes: no fusion")
        #expect(try fused("x", shapes: ["a": [1, 1, 2, 2]], convAttributes: ["roost.activation": .string("relu")]).nodes.count == 2,
                "activation before the Add must stay before it")
    }

    // MARK: specialization

    @Test func specializationPicksAlgorithmsAndPlansSharedWorkspaces() throws {
        var g = graph([
            Node(name: "c1", opType: "Conv", inputs: ["x", "w1"], outputs: ["a"], attributes: ["pads": .ints([2, 2, 2, 2])]),
            Node(name: "c2", opType: "Conv", inputs: ["a", "w2"], outputs: ["b"]),
            Node(name: "c3", opType: "Conv", inputs: ["b", "w3"], outputs: ["c"], attributes: ["group": .int(8), "pads": .ints([1, 1, 1, 1])]),
            Node(name: "c4", opType: "Conv", inputs: ["c", "w4"], outputs: ["y"], attributes: ["pads": .ints([1, 1, 1, 1])]),
        ], input: [1, 4, 6, 6], constants: [
            "w1": HostTensor(shape: [8, 4, 5, 5]), "w2": HostTensor(shape: [8, 8, 1, 1]),
            "w3": HostTensor(shape: [8, 1, 3, 3]), "w4": HostTensor(shape: [2, 8, 3, 3]),
        ])
        for pass in Compiler().passes { try pass.run(&g) }
        #expect(g.nodes.map(\.outputs.count) == [2, 1, 1, 2])
        #expect(g.shapes[g.nodes[0].outputs[1]] == [4 * 25 * 36])
        let (plan, _) = try PlanBuilder().build(g)
        #expect(plan.steps.map { $0.attributes["algorithm"]?.string } == ["im2col-gemm", "gemm-1x1", "direct-depthwise", "im2col-gemm"])
        #expect(ConvSpecialization.algorithmSummary(of: plan) == "direct-depthwise:1,direct-grouped:0,gemm-1x1:1,im2col-gemm:2")
        // The two im2col workspaces live one step each, so the second reuses the first's space.
        let (first, second) = (plan.values[plan.steps[0].outputs[1]], plan.values[plan.steps[3].outputs[1]])
        #expect(second.offset < first.offset + first.elementCount && first.offset < second.offset + second.elementCount)
    }

    @Test func convTransposeWeightsArePackedForTheGemm() throws {
        // W[c][m][k] for C = 2, M = 2 (one group), 1×2 kernel → packed [(m, k)][c].
        let w = HostTensor(shape: [2, 2, 1, 2], data: [1, 2, 3, 4, 5, 6, 7, 8])
        var g = try inferred(graph([Node(name: "t", opType: "ConvTranspose", inputs: ["x", "w"], outputs: ["y"])],
                                   input: [1, 2, 3, 3], constants: ["w": w]))
        try ConvSpecialization().run(&g)
        let packed = try #require(g.constants[g.nodes[0].inputs[1]])
        #expect(packed.data == [1, 5, 2, 6, 3, 7, 4, 8])
        let lowered = try ConvTransposeLowering().lower(g.nodes[0], in: g)
        #expect(lowered.attributes["weightLayout"] == .string("packed"))
    }

    @Test func modelWithoutConvsRecordsNoConvDecision() throws {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [1, 4])
        b.node("Gemm", [x, b.initializer("w", HostTensor.seeded(shape: [4, 2], seed: 1))], output: "y")
        b.output("y", shape: [1, 2])
        let artifact = try Compiler().compile(try ONNXModel(data: b.serialized()), name: "t", target: TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1))
        #expect(artifact.header.decisions["conv.algorithms"] == nil)
    }
}
