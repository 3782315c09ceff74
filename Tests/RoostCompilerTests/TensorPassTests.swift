import Foundation
import Testing
import RoostCore
@testable import RoostCompiler
@testable import RoostRuntime

/// Constant folding of exported shape arithmetic, GELU pattern fusion and the
/// MatMul bias/activation epilogue.
@Suite struct TensorPassTests {
    let h = TensorHarness.self

    func optimized(_ graph: Graph) throws -> Graph {
        var g = graph
        for pass in Compiler().passes { try pass.run(&g) }
        return g
    }

    /// x [2,3,4] → Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])) = [2, 12].
    func shapeChain() -> Graph {
        let nodes = [
            Node(name: "shape", opType: "Shape", inputs: ["x"], outputs: ["s"]),
            Node(name: "gather", opType: "Gather", inputs: ["s", "zero"], outputs: ["d0"], attributes: ["axis": .int(0)]),
            Node(name: "unsqueeze", opType: "Unsqueeze", inputs: ["d0", "axes"], outputs: ["d0u"]),
            Node(name: "concat", opType: "Concat", inputs: ["d0u", "minusOne"], outputs: ["target"], attributes: ["axis": .int(0)]),
            Node(name: "reshape", opType: "Reshape", inputs: ["x", "target"], outputs: ["y"]),
        ]
        return Graph(nodes: nodes, inputs: ["x"], outputs: ["y"],
                     constants: ["zero": T([], [0]), "axes": I([0]), "minusOne": I([-1])],
                     shapes: ["x": [2, 3, 4]], types: ["zero": .int64, "axes": .int64, "minusOne": .int64], opset: 17)
    }

    @Test func foldsTheShapeGatherUnsqueezeConcatReshapeChain() throws {
        let g = try optimized(shapeChain())
        #expect(g.nodes.map(\.opType) == ["Reshape"])
        #expect(!g.nodes.contains { $0.opType == "Shape" })
        let target = try #require(g.constants[g.nodes[0].inputs[1]])
        #expect(target == I([2, -1]))
        #expect(g.shapes["y"] == [2, 12])
        let (plan, _) = try PlanBuilder().build(g)
        #expect(plan.steps.map(\.kernel) == ["copy"])
        let x = HostTensor.seeded(shape: [2, 3, 4], seed: 7)
        #expect(try h.run(shapeChain(), [x]) == [HostTensor(shape: [2, 12], data: x.data)])
    }

    @Test func foldsSliceToInt64MaxCastAndScaleChains() throws {
        // PyTorch's attention: Shape → Slice(-1, INT64_MAX) → Cast(float) → Sqrt → Div(1, ·), then
        // Shape → Slice(1, INT64_MAX) → Concat([-1], ·) → Reshape.
        let nodes = [
            Node(name: "shape", opType: "Shape", inputs: ["x"], outputs: ["s"]),
            Node(name: "last", opType: "Slice", inputs: ["s", "minusOne", "int64Max"], outputs: ["d"]),
            Node(name: "cast", opType: "Cast", inputs: ["d"], outputs: ["df"], attributes: ["to": .int(1)]),
            Node(name: "sqrt", opType: "Sqrt", inputs: ["df"], outputs: ["root"]),
            Node(name: "div", opType: "Div", inputs: ["one", "root"], outputs: ["scale"]),
            Node(name: "tail", opType: "Slice", inputs: ["s", "oneI", "int64Max"], outputs: ["rest"]),
            Node(name: "concat", opType: "Concat", inputs: ["minusOne", "rest"], outputs: ["target"], attributes: ["axis": .int(0)]),
            Node(name: "reshape", opType: "Reshape", inputs: ["x", "target"], outputs: ["r"]),
            Node(name: "mul", opType: "Mul", inputs: ["r", "scale"], outputs: ["y"]),
        ]
        let graph = Graph(nodes: nodes, inputs: ["x"], outputs: ["y"],
                          constants: ["minusOne": I([-1]), "int64Max": T([1], [Float(Int64.max)]), "one": T([1], [1]), "oneI": I([1])],
                          shapes: ["x": [1, 3, 16]], types: ["minusOne": .int64, "int64Max": .int64, "oneI": .int64], opset: 17)
        let g = try optimized(graph)
        #expect(g.nodes.map(\.opType) == ["Reshape", "Mul"])
        #expect(g.constants[g.nodes[1].inputs[1]] == T([1], [0.25]))
        #expect(g.constants[g.nodes[0].inputs[1]] == I([-1, 3, 16]))
        let x = HostTensor.seeded(shape: [1, 3, 16], seed: 3)
        #expect(try h.run(graph, [x]) == [HostTensor(shape: [1, 3, 16], data: x.data.map { $0 * 0.25 })])
    }

    @Test func foldingKeepsIntegerSemantics() throws {
        // Shape-derived integer arithmetic: (24 / 5) * 5 + 24 % 5 with int64 division.
        let nodes = [
            Node(name: "size", opType: "Size", inputs: ["x"], outputs: ["n"]),
            Node(name: "div", opType: "Div", inputs: ["n", "five"], outputs: ["q"]),
            Node(name: "mod", opType: "Mod", inputs: ["n", "five"], outputs: ["r"]),
            Node(name: "cat", opType: "Concat", inputs: ["q1", "r1"], outputs: ["qr"], attributes: ["axis": .int(0)]),
            Node(name: "uq", opType: "Unsqueeze", inputs: ["q", "axes"], outputs: ["q1"]),
            Node(name: "ur", opType: "Unsqueeze", inputs: ["r", "axes"], outputs: ["r1"]),
        ]
        var g = Graph(nodes: [nodes[0], nodes[1], nodes[2], nodes[4], nodes[5], nodes[3]], inputs: ["x"], outputs: ["x"],
                      constants: ["five": T([], [5]), "axes": I([0])], shapes: ["x": [2, 3, 4]], types: ["five": .int64], opset: 17)
        try ConstantFolding().run(&g)
        #expect(g.nodes.isEmpty)
        #expect(g.constants["qr"] == I([4, 4]))
        #expect(g.types["qr"] == .int64)
    }

    @Test func foldingLeavesComputeAndGraphOutputsAlone() throws {
        var g = TensorHarness.graph("MatMul", [T([2, 2], [1, 2, 3, 4]), T([2, 2], [1, 0, 0, 1])], fed: 0)
        try ConstantFolding().run(&g)
        #expect(g.nodes.count == 1)
    }

    func geluGraph(_ variant: Int) -> Graph {
        var nodes: [Node]
        switch variant {
        case 0:  // x/√2 → Erf → +1 → x·a → ·0.5, as torch.nn.GELU exports.
            nodes = [
                Node(name: "div", opType: "Div", inputs: ["x", "sqrt2"], outputs: ["d"]),
                Node(name: "erf", opType: "Erf", inputs: ["d"], outputs: ["e"]),
                Node(name: "add", opType: "Add", inputs: ["e", "one"], outputs: ["a"]),
                Node(name: "mul", opType: "Mul", inputs: ["x", "a"], outputs: ["m"]),
                Node(name: "half", opType: "Mul", inputs: ["m", "half"], outputs: ["y"]),
            ]
        default:  // (x·0.5)·(1 + Erf(x·(1/√2))), operands swapped.
            nodes = [
                Node(name: "h", opType: "Mul", inputs: ["half", "x"], outputs: ["hx"]),
                Node(name: "scale", opType: "Mul", inputs: ["x", "invSqrt2"], outputs: ["d"]),
                Node(name: "erf", opType: "Erf", inputs: ["d"], outputs: ["e"]),
                Node(name: "add", opType: "Add", inputs: ["one", "e"], outputs: ["a"]),
                Node(name: "mul", opType: "Mul", inputs: ["a", "hx"], outputs: ["y"]),
            ]
        }
        let constants = ["sqrt2": T([], [1.4142135]), "invSqrt2": T([], [0.70710677]), "one": T([], [1]), "half": T([], [0.5])]
        return Graph(nodes: nodes, inputs: ["x"], outputs: ["y"], constants: constants, shapes: ["x": [2, 8]], opset: 17)
    }

    @Test(arguments: [0, 1]) func fusesTheExportedGeluPattern(variant: Int) throws {
        let g = try optimized(geluGraph(variant))
        #expect(g.nodes.map(\.opType) == ["Gelu"])
        #expect(g.nodes[0].inputs == ["x"] && g.nodes[0].outputs == ["y"])
        // Spread the inputs to about [-3, 3] so both tails of erf are exercised.
        let x = HostTensor(shape: [2, 8], data: HostTensor.seeded(shape: [2, 8], seed: 11).data.map { $0 * 3 })
        let expected = HostTensor(shape: [2, 8], data: x.data.map { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) })
        let out = try h.run(geluGraph(variant), [x])
        #expect(out[0].isClose(to: expected, rtol: 1e-5, atol: 1e-6))
    }

    @Test func geluFusionSkipsSharedIntermediates() throws {
        var graph = geluGraph(0)
        graph.outputs.append("e")
        let g = try optimized(graph)
        #expect(!g.nodes.contains { $0.opType == "Gelu" })
        #expect(g.nodes.count == 5)
    }

    @Test func matMulAbsorbsItsBiasAndAppliesAFusedActivation() throws {
        let w = HostTensor.seeded(shape: [4, 3], seed: 5), b = HostTensor.seeded(shape: [3], seed: 6)
        let graph = Graph(nodes: [
            Node(name: "mm", opType: "MatMul", inputs: ["x", "w"], outputs: ["m"]),
            Node(name: "add", opType: "Add", inputs: ["b", "m"], outputs: ["y"]),
        ], inputs: ["x"], outputs: ["y"], constants: ["w": w, "b": b], shapes: ["x": [2, 2, 4]], opset: 17)
        let g = try optimized(graph)
        #expect(g.nodes.map(\.opType) == ["MatMul"])
        #expect(g.nodes[0].inputs == ["x", "w", "b"])
        let x = HostTensor.seeded(shape: [2, 2, 4], seed: 9)
        var expected: [Float] = []
        for r in 0..<4 { for j in 0..<3 { expected.append((0..<4).reduce(b.data[j]) { $0 + x.data[r * 4 + $1] * w.data[$1 * 3 + j] }) } }
        let out = try h.run(graph, [x])
        #expect(out[0].isClose(to: HostTensor(shape: [2, 2, 3], data: expected), rtol: 1e-5, atol: 1e-6))

        // The activation-fusion contract: roost.activation* attributes on the producer.
        var clipped = g
        clipped.nodes[0].attributes["roost.activation"] = .string("clip")
        clipped.nodes[0].attributes["roost.activation.min"] = .float(-0.25)
        clipped.nodes[0].attributes["roost.activation.max"] = .float(0.25)
        let lowered = try MatMulLowering().lower(clipped.nodes[0], in: clipped)
        #expect(lowered.attributes["activation"] == .string("clip"))
        #expect(lowered.attributes["activationMin"] == .float(-0.25))
        let (plan, weights) = try PlanBuilder().build(clipped)
        let header = ArtifactHeader(compilerVersion: "test", target: TensorHarness.target, modelSHA256: "", modelName: "t")
        let session = try InferenceSession(artifact: Artifact(header: header, plan: plan, weights: weights))
        let y = try session.run([x])
        #expect(y[0].isClose(to: HostTensor(shape: [2, 2, 3], data: expected.map { min(max($0, -0.25), 0.25) }), rtol: 1e-5, atol: 1e-6))

        var gelu = g
        gelu.nodes[0].attributes["roost.activation"] = .string("gelu")
        let (gPlan, gWeights) = try PlanBuilder().build(gelu)
        let gy = try InferenceSession(artifact: Artifact(header: header, plan: gPlan, weights: gWeights)).run([x])
        let gExpected = expected.map { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
        #expect(gy[0].isClose(to: HostTensor(shape: [2, 2, 3], data: gExpected), rtol: 1e-5, atol: 1e-6))
    }

    @Test func dataMovementChainsBecomeOneRemap() throws {
        // [2,3] → Transpose → Reshape [6] → reversed Slice → Reshape [2,3].
        let graph = Graph(nodes: [
            Node(name: "t", opType: "Transpose", inputs: ["x"], outputs: ["a"]),
            Node(name: "r", opType: "Reshape", inputs: ["a", "flat"], outputs: ["b"]),
            Node(name: "s", opType: "Slice", inputs: ["b", "start", "end", "axis", "step"], outputs: ["c"]),
            Node(name: "r2", opType: "Reshape", inputs: ["c", "shape"], outputs: ["d"]),
            Node(name: "relu", opType: "Relu", inputs: ["d"], outputs: ["y"]),
        ], inputs: ["x"], outputs: ["y"],
        constants: ["flat": I([6]), "start": I([-1]), "end": T([1], [Float(Int64.min)]), "axis": I([0]), "step": I([-1]), "shape": I([2, 3])],
        shapes: ["x": [2, 3]], opset: 17)
        let g = try optimized(graph)
        #expect(g.nodes.map(\.opType) == [RemapNodeLowering.name, "Relu"])
        let (plan, _) = try PlanBuilder().build(g)
        #expect(plan.steps.map(\.kernel) == ["remap", "relu"])
        #expect(try h.run(graph, [T([2, 3], [0, 1, 2, 3, 4, 5])]) == [T([2, 3], [5, 2, 4, 1, 3, 0])])
    }

    @Test func reshapesAndUnitTransposesAreViews() throws {
        // Transpose moving a unit dim and Reshape: no step, the value aliases its input.
        let graph = Graph(nodes: [
            Node(name: "relu0", opType: "Relu", inputs: ["x"], outputs: ["h"]),
            Node(name: "t", opType: "Transpose", inputs: ["h"], outputs: ["a"], attributes: ["perm": .ints([1, 0, 2])]),
            Node(name: "r", opType: "Reshape", inputs: ["a", "shape"], outputs: ["b"]),
            Node(name: "relu", opType: "Relu", inputs: ["b"], outputs: ["y"]),
        ], inputs: ["x"], outputs: ["y"], constants: ["shape": I([12])], shapes: ["x": [1, 4, 3]], opset: 17)
        let (plan, _) = try PlanBuilder().build(try optimized(graph))
        #expect(plan.steps.map(\.kernel) == ["relu", "relu"])
        let hidden = plan.values[plan.steps[0].outputs[0]], read = plan.values[plan.steps[1].inputs[0]]
        #expect(read.shape == [12] && hidden.shape == [1, 4, 3])
        #expect(read.offset == hidden.offset && read.storage == .arena)
        let x = HostTensor.seeded(shape: [1, 4, 3], seed: 2)
        #expect(try h.run(graph, [x]) == [HostTensor(shape: [12], data: x.data.map { max($0, 0) })])
    }

    @Test func affineIndexMapsAreRecognized() throws {
        // Reversed columns of a [2,3] matrix: digits [2, 3] with strides [3, -1].
        let reversed = IndexRemap.affine([2, 1, 0, 5, 4, 3])
        #expect(reversed != nil)
        #expect(try reversed?.apply([0, 1, 2, 3, 4, 5]) == [2, 1, 0, 5, 4, 3])
        #expect(IndexRemap.affine([0, 2, 1, 3])?.dims == [2, 2])
        #expect(IndexRemap.affine([0, 1, 2, 4, 5, 3]) == nil)
        #expect(IndexRemap.affine([3])?.tables == [[3]])
    }

    /// A scalar broadcast to a huge shape stays small tables: merging stride-0 dims
    /// used to materialize one entry per output element (1 GiB of JSON here).
    @Test func broadcastRemapTablesStaySmall() {
        let r = IndexRemap.broadcast([1, 1], to: [16384, 16384])
        #expect(r.elementCount == 16384 * 16384)
        #expect(r.tables.map(\.count).reduce(0, +) <= 2 * 16384)
        // Small contiguous copies still merge into one long run.
        #expect(IndexRemap.strided(dims: [4, 8], strides: [8, 1]).dims == [32])
    }
}
