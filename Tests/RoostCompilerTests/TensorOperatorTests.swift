import Foundation
import Testing
import RoostCore
@testable import RoostCompiler

/// Hand-computed cases for the tensor operators, each checked at run time and as
/// folded by the compile-time evaluator.
@Suite struct TensorOperatorTests {
    let h = TensorHarness.self

    @Test func binaryOpsBroadcastMultidirectionally() throws {
        try h.expect("Add", [T([2, 3], [1, 2, 3, 4, 5, 6]), T([3], [10, 20, 30])], T([2, 3], [11, 22, 33, 14, 25, 36]))
        // [2,1] × [1,3] → [2,3]: both operands broadcast.
        try h.expect("Mul", [T([2, 1], [1, 2]), T([1, 3], [3, 4, 5])], T([2, 3], [3, 4, 5, 6, 8, 10]))
        // The constant operand first, the fed one broadcast against it.
        try h.expect("Sub", [T([1], [1]), T([2, 2], [1, 2, 3, 4])], fed: 1, T([2, 2], [0, -1, -2, -3]))
        try h.expect("Div", [T([2, 1, 2], [1, 2, 3, 4]), T([3, 1], [1, 2, 4])],
                     T([2, 3, 2], [1, 2, 0.5, 1, 0.25, 0.5, 3, 4, 1.5, 2, 0.75, 1]))
        try h.expect("Pow", [T([3], [2, 3, 4]), T([], [2])], T([3], [4, 9, 16]))
        #expect(throws: RoostError.self) { try h.evaluate("Add", [T([2, 3], [1, 2, 3, 4, 5, 6]), T([2], [1, 2])]) }
    }

    @Test func integerDivTruncatesAndModFollowsTheDivisor() throws {
        let ints: [ElementType] = [.int64, .int64]
        try h.expect("Div", [T([4], [7, -7, 7, -7]), T([4], [2, 2, -2, -2])], types: ints, T([4], [3, -3, -3, 3]))
        try h.expect("Div", [T([4], [7, -7, 7, -7]), T([4], [2, 2, -2, -2])], T([4], [3.5, -3.5, -3.5, 3.5]))
        try h.expect("Mod", [T([4], [7, -7, 7, -7]), T([4], [3, 3, -3, -3])], types: ints, T([4], [1, 2, -2, -1]))
        try h.expect("Mod", [T([4], [7, -7, 7, -7]), T([4], [3, 3, -3, -3])], types: ints, attributes: ["fmod": .int(1)], T([4], [1, -1, 1, -1]))
        try h.expect("Mod", [T([2], [7.5, -7.5]), T([1], [2])], attributes: ["fmod": .int(1)], T([2], [1.5, -1.5]))
    }

    @Test func comparisonsAndLogicYieldBool() throws {
        let a = T([4], [1, 2, 3, 4]), b = T([4], [2, 2, 2, 2])
        try h.expect("Equal", [a, b], T([4], [0, 1, 0, 0]))
        try h.expect("Less", [a, b], T([4], [1, 0, 0, 0]))
        try h.expect("Greater", [a, b], T([4], [0, 0, 1, 1]))
        try h.expect("LessOrEqual", [a, b], T([4], [1, 1, 0, 0]))
        try h.expect("GreaterOrEqual", [a, b], T([4], [0, 1, 1, 1]))
        try h.expect("And", [T([4], [1, 1, 0, 0]), T([4], [1, 0, 1, 0])], T([4], [1, 0, 0, 0]))
        try h.expect("Or", [T([4], [1, 1, 0, 0]), T([4], [1, 0, 1, 0])], T([4], [1, 1, 1, 0]))
        try h.expect("Not", [T([3], [1, 0, 1])], T([3], [0, 1, 0]))
        var g = h.graph("Less", [a, b])
        try ShapeInference().run(&g)
        #expect(g.type(of: "y0") == .bool)
    }

    @Test func unaryOpsMatchTheirDefinitions() throws {
        let xs: [Float] = (-40...40).map { Float($0) / 8 }
        let x = T([xs.count], xs)
        func check(_ op: String, attributes: [String: NodeAttribute] = [:], tolerance: Float = 2e-6, _ f: (Double) -> Double) throws {
            try h.expect(op, [x], attributes: attributes, tolerance: tolerance, T([xs.count], xs.map { Float(f(Double($0))) }))
        }
        try check("Erf") { erf($0) }
        try check("Exp", tolerance: 1e-6) { exp($0) }
        try check("Sigmoid") { 1 / (1 + exp(-$0)) }
        try check("Tanh") { tanh($0) }
        try check("Neg") { -$0 }
        try check("Abs") { abs($0) }
        try check("Gelu") { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }
        try check("Gelu", attributes: ["approximate": .string("tanh")]) { 0.5 * $0 * (1 + tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        try check("LeakyRelu", attributes: ["alpha": .float(0.1)]) { $0 >= 0 ? $0 : 0.1 * $0 }
        try check("HardSigmoid") { min(max(0.2 * $0 + 0.5, 0), 1) }
        try check("HardSwish") { $0 * min(max($0 / 6 + 0.5, 0), 1) }
        try check("Relu") { max($0, 0) }
        try h.expect("Sqrt", [T([3], [4, 9, 2])], T([3], [2, 3, Float(2).squareRoot()]))
        try h.expect("Log", [T([2], [1, Float(M_E)])], T([2], [0, 1]))
        // Softmax-style inputs far from zero must not overflow.
        try h.expect("Exp", [T([3], [-100, 88, 0])], tolerance: 1e-5, T([3], [0, Float(exp(88.0)), 1]))
    }

    @Test func clipTakesOptionalMinAndMaxInputs() throws {
        let x = T([4], [-2, -0.5, 0.5, 2])
        try h.expect("Clip", [x, T([], [-1]), T([], [1])], T([4], [-1, -0.5, 0.5, 1]))
        try h.expect("Clip", [x, nil, T([], [0])], T([4], [-2, -0.5, 0, 0]))
        try h.expect("Clip", [x], T([4], [-2, -0.5, 0.5, 2]))
        // Bounds computed at run time are read by the kernel.
        try h.expect("Clip", [x, T([], [0]), T([], [1])], fed: 3, folds: false, T([4], [0, 0, 0.5, 1]))
    }

    @Test func castTruncatesTowardZeroAndRecordsTheType() throws {
        let x = T([5], [1.7, -1.7, 0, 2.5, -0.2])
        try h.expect("Cast", [x], attributes: ["to": .int(7)], T([5], [1, -1, 0, 2, 0]))
        try h.expect("Cast", [x], attributes: ["to": .int(9)], T([5], [1, 1, 0, 1, 1]))
        try h.expect("Cast", [x], attributes: ["to": .int(1)], x)
        var g = h.graph("Cast", [x], attributes: ["to": .int(7)])
        try ShapeInference().run(&g)
        #expect(g.type(of: "y0") == .int64)
        #expect(throws: RoostError.self) { try h.evaluate("Cast", [x], attributes: ["to": .int(8)]) }
    }

    @Test func whereBroadcastsAllThreeInputs() throws {
        try h.expect("Where", [T([3], [1, 0, 1]), T([2, 3], [1, 2, 3, 4, 5, 6]), T([], [-1])],
                     T([2, 3], [1, -1, 3, 4, -1, 6]))
        try h.expect("Where", [T([2, 1], [0, 1]), T([3], [1, 2, 3]), T([2, 3], [7, 8, 9, 10, 11, 12])],
                     T([2, 3], [7, 8, 9, 1, 2, 3]))
    }

    @Test func softmaxNormalizesAlongItsAxis() throws {
        let x: [Float] = [1, 2, 3, 0, 0, 0]
        let e = [1.0, 2.0, 3.0].map { exp($0) }, s = e.reduce(0, +)
        let row = e.map { Float($0 / s) }
        try h.expect("Softmax", [T([2, 3], x)], folds: false, T([2, 3], row + [1.0 / 3, 1.0 / 3, 1.0 / 3]))
        // axis 0: each column normalizes over two rows.
        let col = [1.0, 2.0, 3.0].map { Float(exp($0) / (exp($0) + 1)) }
        try h.expect("Softmax", [T([2, 3], x)], attributes: ["axis": .int(0)], folds: false, T([2, 3], col + col.map { 1 - $0 }))
        try h.expect("LogSoftmax", [T([1, 3], [1, 2, 3])], folds: false, T([1, 3], row.map { Float(log(Double($0))) }))
        // Large logits stay finite.
        try h.expect("Softmax", [T([2], [1000, 1000])], folds: false, T([2], [0.5, 0.5]))
    }

    @Test func layerNormalizationWithScaleBiasAndStatistics() throws {
        let x: [Float] = [1, 2, 3, 4, 2, 2, 2, 2], scale: [Float] = [1, 1, 2, 2], bias: [Float] = [0, 0, 0, 1], eps: Float = 1e-5
        var y: [Float] = [], means: [Float] = [], inv: [Float] = []
        for r in 0..<2 {
            let row = x[(r * 4)..<(r * 4 + 4)].map(Double.init)
            let mu = row.reduce(0, +) / 4, v = row.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 4
            let rstd = 1 / (v + Double(eps)).squareRoot()
            y += row.enumerated().map { Float(($0.element - mu) * rstd * Double(scale[$0.offset]) + Double(bias[$0.offset])) }
            means.append(Float(mu))
            inv.append(Float(rstd))
        }
        let (ran, _) = try h.evaluate("LayerNormalization", [T([2, 4], x), T([4], scale), T([4], bias)],
                                      attributes: ["epsilon": .float(eps)], outputs: 3)
        #expect(ran[0].isClose(to: T([2, 4], y), rtol: 1e-5, atol: 1e-5))
        #expect(ran[1] == T([2, 1], means))
        #expect(ran[2].isClose(to: T([2, 1], inv), rtol: 1e-5, atol: 1e-5))
        // Normalizing over the last two dims with no bias; a broadcast [1, 2] scale.
        let (whole, _) = try h.evaluate("LayerNormalization", [T([1, 2, 2], [1, 2, 3, 4]), T([1, 2], [1, 2])],
                                        attributes: ["axis": .int(1), "epsilon": .float(0)])
        let r = Float(1 / 1.25.squareRoot())
        #expect(whole[0].isClose(to: T([1, 2, 2], [-1.5 * r, -0.5 * r * 2, 0.5 * r, 1.5 * r * 2]), rtol: 1e-5, atol: 1e-5))
    }

    /// Plain-loop reference for batched MatMul on 2-D operands.
    func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        (0..<(m * n)).map { i in (0..<k).reduce(Float(0)) { $0 + a[i / n * k + $1] * b[$1 * n + i % n] } }
    }

    @Test func matMulBatchedBroadcastAndOneDimensional() throws {
        let a = (0..<12).map { Float($0) }, b = (0..<6).map { Float($0) - 2 }
        // [2,2,3] × [3,2]: B shared by both batches.
        let batched = matmul(Array(a[0..<6]), b, m: 2, k: 3, n: 2) + matmul(Array(a[6..<12]), b, m: 2, k: 3, n: 2)
        try h.expect("MatMul", [T([2, 2, 3], a), T([3, 2], b)], folds: false, T([2, 2, 2], batched))
        // [2,3] × [2,3,2]: A broadcast over B's batch.
        let b2 = (0..<12).map { Float($0 % 5) }
        let bcast = matmul(Array(a[0..<6]), Array(b2[0..<6]), m: 2, k: 3, n: 2) + matmul(Array(a[0..<6]), Array(b2[6..<12]), m: 2, k: 3, n: 2)
        try h.expect("MatMul", [T([2, 3], Array(a[0..<6])), T([2, 3, 2], b2)], folds: false, T([2, 2, 2], bcast))
        // [2,1,2,3] × [3,3,2] → [2,3,2,2]: batch dims broadcast both ways.
        let a4 = (0..<12).map { Float($0) * 0.5 }, b4 = (0..<18).map { Float($0 % 7) - 3 }
        var both: [Float] = []
        for i in 0..<2 { for j in 0..<3 { both += matmul(Array(a4[(i * 6)..<(i * 6 + 6)]), Array(b4[(j * 6)..<(j * 6 + 6)]), m: 2, k: 3, n: 2) } }
        try h.expect("MatMul", [T([2, 1, 2, 3], a4), T([3, 3, 2], b4)], folds: false, T([2, 3, 2, 2], both))
        // 1-D operands: the promoted dim is dropped.
        try h.expect("MatMul", [T([3], [1, 2, 3]), T([3, 2], b)], folds: false, T([2], matmul([1, 2, 3], b, m: 1, k: 3, n: 2)))
        try h.expect("MatMul", [T([2, 3], Array(a[0..<6])), T([3], [1, 0, -1])], folds: false, T([2], [-2, -2]))
        try h.expect("MatMul", [T([3], [1, 2, 3]), T([3], [4, 5, 6])], folds: false, T([], [32]))
        try h.expect("MatMul", [T([2, 3], Array(a[0..<6])), T([2, 3, 1], [1, 0, -1, 1, 1, 1])], folds: false, T([2, 2, 1], [-2, -2, 3, 12]))
        #expect(throws: RoostError.self) { try h.evaluate("MatMul", [T([2, 3], Array(a[0..<6])), T([2, 3], Array(a[0..<6]))]) }
    }

    @Test func reductionsWithAxesAndKeepdims() throws {
        let x = T([2, 3], [1, 2, 3, 4, 5, 6])
        try h.expect("ReduceSum", [x, I([1])], T([2, 1], [6, 15]))
        try h.expect("ReduceSum", [x, I([-2])], attributes: ["keepdims": .int(0)], T([3], [5, 7, 9]))
        try h.expect("ReduceMean", [x], attributes: ["axes": .ints([0]), "keepdims": .int(0)], T([3], [2.5, 3.5, 4.5]))
        try h.expect("ReduceMean", [x, I([1])], opset: 18, T([2, 1], [2, 5]))
        try h.expect("ReduceMax", [x], T([1, 1], [6]))
        try h.expect("ReduceMax", [x], attributes: ["axes": .ints([1]), "keepdims": .int(0)], T([2], [3, 6]))
        try h.expect("ReduceMin", [x], attributes: ["axes": .ints([0])], T([1, 3], [1, 2, 3]))
        try h.expect("ReduceSum", [x, I([])], attributes: ["noop_with_empty_axes": .int(1)], x)
        let cube = T([2, 2, 2], (1...8).map(Float.init))
        try h.expect("ReduceSum", [cube, I([0, 2])], T([1, 2, 1], [1 + 2 + 5 + 6, 3 + 4 + 7 + 8]))
    }

    @Test func sliceClampsNegativeIndicesAndWalksNegativeSteps() throws {
        let v = T([5], [0, 1, 2, 3, 4])
        let int64Max = Float(Int64.max), int64Min = Float(Int64.min)
        try h.expect("Slice", [v, I([-1]), T([1], [int64Min]), I([0]), I([-2])], T([3], [4, 2, 0]))
        try h.expect("Slice", [v, I([1]), T([1], [int64Max])], T([4], [1, 2, 3, 4]))
        try h.expect("Slice", [v, I([-2]), I([-100]), I([0]), I([-1])], T([4], [3, 2, 1, 0]))
        try h.expect("Slice", [v, I([10]), I([20])], T([0], []))
        let m = T([3, 4], (0..<12).map(Float.init))
        // Rows 1..end, columns reversed from -1 down to (not including) 0, step 2.
        try h.expect("Slice", [m, I([1, -1]), T([2], [int64Max, 0]), I([0, 1]), I([1, -2])], T([2, 2], [7, 5, 11, 9]))
        // axes given negatively, steps omitted.
        try h.expect("Slice", [m, I([1]), I([3]), I([-1])], T([3, 2], [1, 2, 5, 6, 9, 10]))
        #expect(throws: RoostError.self) { try h.evaluate("Slice", [v, I([0]), I([5]), I([0]), I([0])]) }
    }

    @Test func gatherTakesNegativeIndices() throws {
        let data = T([3, 2], [1, 2, 3, 4, 5, 6])
        try h.expect("Gather", [data, I([-1, 0])], T([2, 2], [5, 6, 1, 2]))
        try h.expect("Gather", [data, T([2, 1], [1, -2])], attributes: ["axis": .int(1)], T([3, 2, 1], [2, 1, 4, 3, 6, 5]))
        try h.expect("Gather", [data, T([], [-2])], T([2], [3, 4]))
        // Indices known only at run time.
        try h.expect("Gather", [data, I([2, -3, 1])], fed: 2, folds: false, T([3, 2], [5, 6, 1, 2, 3, 4]))
        #expect(throws: RoostError.self) { try h.evaluate("Gather", [data, I([3])]) }
    }

    @Test func padModes() throws {
        let x = T([3], [1, 2, 3])
        try h.expect("Pad", [x, I([2, 2]), T([], [9])], T([7], [9, 9, 1, 2, 3, 9, 9]))
        try h.expect("Pad", [x, I([2, 2])], attributes: ["mode": .string("reflect")], T([7], [3, 2, 1, 2, 3, 2, 1]))
        try h.expect("Pad", [x, I([2, 2])], attributes: ["mode": .string("edge")], T([7], [1, 1, 1, 2, 3, 3, 3]))
        try h.expect("Pad", [x, I([2, 2])], attributes: ["mode": .string("wrap")], T([7], [2, 3, 1, 2, 3, 1, 2]))
        try h.expect("Pad", [x, I([-1, 1])], T([3], [2, 3, 0]))
        // 2-D, only axis 1 via the axes input (opset 18).
        let m = T([2, 2], [1, 2, 3, 4])
        try h.expect("Pad", [m, I([1, 0]), T([], [-1]), I([1])], opset: 18, T([2, 3], [-1, 1, 2, -1, 3, 4]))
        try h.expect("Pad", [m, I([1, 0, 0, 1])], attributes: ["mode": .string("reflect")], T([3, 3], [3, 4, 3, 1, 2, 1, 3, 4, 3]))
    }

    @Test func shapeMovementOperators() throws {
        let x = T([2, 3], [1, 2, 3, 4, 5, 6])
        try h.expect("Transpose", [x], T([3, 2], [1, 4, 2, 5, 3, 6]))
        let c = T([2, 3, 2], (0..<12).map(Float.init))
        try h.expect("Transpose", [c], attributes: ["perm": .ints([1, 0, 2])], T([3, 2, 2], [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]))
        try h.expect("Reshape", [x, I([0, -1, 1])], T([2, 3, 1], x.data))
        try h.expect("Reshape", [T([0, 3], []), I([0, 3])], attributes: ["allowzero": .int(1)], fed: 0, T([0, 3], []))
        try h.expect("Unsqueeze", [x, I([0, -1])], T([1, 2, 3, 1], x.data))
        try h.expect("Squeeze", [T([1, 3, 1], [1, 2, 3]), I([-1])], T([1, 3], [1, 2, 3]))
        try h.expect("Squeeze", [T([1, 3, 1], [1, 2, 3])], T([3], [1, 2, 3]))
        try h.expect("Flatten", [c], attributes: ["axis": .int(2)], T([6, 2], c.data))
        try h.expect("Expand", [T([3, 1], [1, 2, 3]), I([2, 1, 2])], T([2, 3, 2], [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]))
        try h.expect("Tile", [x, I([2, 1])], T([4, 3], x.data + x.data))
        try h.expect("Tile", [T([2], [1, 2]), I([3])], T([6], [1, 2, 1, 2, 1, 2]))
        try h.expect("Concat", [x, T([2, 1], [7, 8])], attributes: ["axis": .int(-1)], T([2, 4], [1, 2, 3, 7, 4, 5, 6, 8]))
        try h.expect("Identity", [x], x)
        #expect(throws: RoostError.self) { try h.evaluate("Reshape", [x, I([4, -1])]) }
    }

    @Test func splitBySizesOrEqualParts() throws {
        let x = T([2, 5], (0..<10).map(Float.init))
        let (ran, folded) = try h.evaluate("Split", [x, I([2, 3])], attributes: ["axis": .int(1)], outputs: 2)
        #expect(ran == [T([2, 2], [0, 1, 5, 6]), T([2, 3], [2, 3, 4, 7, 8, 9])])
        #expect(folded == ran)
        let (parts, _) = try h.evaluate("Split", [T([6], (0..<6).map(Float.init))], outputs: 3)
        #expect(parts == [T([2], [0, 1]), T([2], [2, 3]), T([2], [4, 5])])
        let (uneven, _) = try h.evaluate("Split", [x], attributes: ["axis": .int(1), "num_outputs": .int(2)], outputs: 2, opset: 18)
        #expect(uneven.map(\.shape) == [[2, 3], [2, 2]])
    }

    @Test func generatorsAndShape() throws {
        try h.expect("Shape", [T([2, 3, 4], Array(repeating: 0, count: 24))], T([3], [2, 3, 4]))
        try h.expect("Shape", [T([2, 3, 4], Array(repeating: 0, count: 24))], attributes: ["start": .int(-2)], T([2], [3, 4]))
        try h.expect("Shape", [T([2, 3, 4], Array(repeating: 0, count: 24))], attributes: ["start": .int(1), "end": .int(-1)], T([1], [3]))
        try h.expect("Size", [T([2, 3], Array(repeating: 0, count: 6))], T([], [6]))
        try h.expect("Range", [T([], [1]), T([], [8]), T([], [3])], fed: 0, T([3], [1, 4, 7]))
        try h.expect("Range", [T([], [5]), T([], [0]), T([], [-2])], fed: 0, T([3], [5, 3, 1]))
        try h.expect("ConstantOfShape", [I([2, 2])], attributes: ["value": .tensor(T([1], [7]))], fed: 0, T([2, 2], [7, 7, 7, 7]))
        try h.expect("ConstantOfShape", [I([3])], fed: 0, T([3], [0, 0, 0]))
        var g = h.graph("ConstantOfShape", [I([2])], attributes: ["value": .tensor(T([1], [1])), "roost.value.type": .string("int64")], fed: 0)
        try ShapeInference().run(&g)
        #expect(g.type(of: "y0") == .int64)
        var s = h.graph("Shape", [T([2], [0, 0])])
        try ShapeInference().run(&s)
        #expect(s.type(of: "y0") == .int64)
    }

    @Test func hostileShapeInputsAreErrorsNotCrashes() throws {
        let x = T([2], [1, 2])
        let huge = Float(Int64.max)
        #expect(throws: RoostError.self) { try h.evaluate("Expand", [x, T([2], [0x1p40, 0x1p40])]) }
        #expect(throws: RoostError.self) { try h.evaluate("Tile", [x, T([1], [huge])]) }
        #expect(throws: RoostError.self) { try h.evaluate("Pad", [x, T([2], [huge, huge])]) }
        #expect(throws: RoostError.self) { try h.evaluate("Reshape", [x, T([2], [huge, -1])]) }
        #expect(throws: RoostError.self) { try h.evaluate("ConstantOfShape", [T([3], [0x1p30, 0x1p30, 0x1p30])], fed: 0) }
        #expect(throws: RoostError.self) { try h.evaluate("Unsqueeze", [x, I([5])]) }
        // Extreme steps are legal: they take the first element only.
        try h.expect("Slice", [x, I([0]), T([1], [huge]), I([0]), T([1], [huge])], T([1], [1]))
        try h.expect("Slice", [x, I([-1]), T([1], [-huge]), I([0]), T([1], [-huge])], T([1], [2]))
    }
}

