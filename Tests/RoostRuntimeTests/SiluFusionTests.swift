import CRoostKernels
import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// SiLU (`x · Sigmoid(x)`) and the squeeze-excite Sigmoid fused into every conv
/// form's epilogue give what the unfused plan gives, within 1e-5 relative, at one
/// and two threads; and the 8-lane pass matches the formula on every tail length.
@Suite struct SiluFusionTests {
    typealias S = CNNTestSupport

    /// The whole compile (passes, channels-last, kernel selection), with the passes `skip` names left out.
    func artifact(_ model: ONNXModel, threads: Int, skipping skip: (any GraphPass) -> Bool = { _ in false }) throws -> Artifact {
        let target = S.target(threads: threads)
        var graph = try ONNXImporter().importGraph(model)
        for pass in Compiler().passes where !skip(pass) { try pass.run(&graph) }
        var (plan, weights) = try PlanBuilder().build(graph)
        ChannelsLastLayout(target: target).apply(plan: &plan)
        KernelSelection(target: target).apply(plan: &plan, weights: &weights)
        return Artifact(header: ArtifactHeader(compilerVersion: "test", target: target, modelSHA256: "", modelName: "t"), plan: plan, weights: weights)
    }

    /// An EfficientNet-style block: a strided stem, a stride-1 3×3 conv, an expansion,
    /// a depthwise conv, squeeze-excite and a projection, SiLU after each of the first four.
    func mbconvModel() throws -> ONNXModel {
        var b = ModelBuilder(name: "mbconv")
        let x = b.input("x", shape: [1, 5, 40, 40])
        func w(_ name: String, _ shape: [Int], _ seed: UInt64) -> String { b.initializer(name, HostTensor.seeded(shape: shape, seed: seed)) }
        func silu(_ v: String, swapped: Bool = false) -> String {
            let s = b.node("Sigmoid", [v])
            return b.node("Mul", swapped ? [s, v] : [v, s])
        }
        let stem = silu(b.node("Conv", [x, w("w0", [32, 5, 3, 3], 1), w("b0", [32], 2)], attributes: ["pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 2])]))
        let c1 = silu(b.node("Conv", [stem, w("w1", [64, 32, 3, 3], 3), w("b1", [64], 4)], attributes: ["pads": .ints([1, 1, 1, 1])]), swapped: true)
        let e = silu(b.node("Conv", [c1, w("we", [40, 64, 1, 1], 5), w("be", [40], 6)]))
        let d = silu(b.node("Conv", [e, w("wd", [40, 1, 3, 3], 7), w("bd", [40], 8)], attributes: ["group": .int(40), "pads": .ints([1, 1, 1, 1])]))
        let pooled = b.node("GlobalAveragePool", [d])
        let squeeze = silu(b.node("Conv", [pooled, w("ws", [10, 40, 1, 1], 9), w("bs", [10], 10)]))
        let gate = b.node("Sigmoid", [b.node("Conv", [squeeze, w("wx", [40, 10, 1, 1], 11), w("bx", [40], 12)])])
        let scaled = b.node("Mul", [d, gate])
        b.node("Conv", [scaled, w("wp", [24, 40, 1, 1], 13)], output: "y")
        b.output("y", shape: [])
        return try ONNXModel(data: b.serialized())
    }

    @Test(arguments: [1, 2]) func siluAndTheGateFuseIntoEveryConvAndMatchTheUnfusedPlan(threads: Int) throws {
        let model = try mbconvModel()
        let fused = try artifact(model, threads: threads)
        let unfused = try artifact(model, threads: threads) { $0 is SiluFusion || $0 is ActivationFusion }
        let steps = fused.plan.steps
        #expect(!steps.contains { $0.kernel == "unary" }, "\(steps.map(\.kernel))")
        #expect(steps.filter { $0.kernel == "binary" }.count == 1)  // the gate's broadcast Mul
        #expect(steps.filter { $0.attributes["activation"] == .string("silu") }.count == 5)
        #expect(steps.filter { $0.attributes["activation"] == .string("sigmoid") }.count == 1)
        // Every conv form is in the plan: direct (the stem), Winograd, pointwise GEMM, depthwise.
        let forms = Set(steps.compactMap { $0.attributes["convKernel"]?.string ?? $0.attributes["algorithm"]?.string })
        #expect(forms.isSuperset(of: ["direct", "winograd", "gemm-1x1", "direct-depthwise"]), "\(forms)")
        #expect(unfused.plan.steps.filter { $0.kernel == "unary" }.count == 6)

        let x = HostTensor(shape: [1, 5, 40, 40], data: HostTensor.seeded(shape: [1, 5, 40, 40], seed: 20).data.map { $0 * 3 })
        let got = try InferenceSession(artifact: fused).run([x])[0]
        let want = try InferenceSession(artifact: unfused).run([x])[0]
        // Relative to the output's scale: the sums reach the hundreds.
        let scale = want.data.map(abs).max() ?? 1
        #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-5 * scale), "max diff \(got.maxAbsDifference(to: want)) at scale \(scale)")
    }

    @Test func siluOnAMatMulFusesAndASharedSigmoidDoesNot() throws {
        var b = ModelBuilder(name: "mlp")
        let x = b.input("x", shape: [3, 20])
        let h = b.node("MatMul", [x, b.initializer("w", HostTensor.seeded(shape: [20, 33], seed: 1))])
        let s = b.node("Sigmoid", [h])
        b.node("Mul", [h, s], output: "y")
        b.node("Neg", [s], output: "z")  // the Sigmoid has another reader: no Swish
        b.output("y", shape: [])
        b.output("z", shape: [])
        let model = try ONNXModel(data: b.serialized())
        let art = try artifact(model, threads: 1)
        #expect(!art.plan.steps.contains { $0.attributes["activation"] == .string("silu") })

        var c = ModelBuilder(name: "mlp2")
        let x2 = c.input("x", shape: [3, 20])
        let h2 = c.node("MatMul", [x2, c.initializer("w", HostTensor.seeded(shape: [20, 33], seed: 1))])
        c.node("Mul", [c.node("Sigmoid", [h2]), h2], output: "y")
        c.output("y", shape: [])
        let fused = try artifact(try ONNXModel(data: c.serialized()), threads: 1)
        #expect(fused.plan.steps.map(\.kernel) == ["matmul"])
        #expect(fused.plan.steps[0].attributes["activation"] == .string("silu"))
        let input = HostTensor.seeded(shape: [3, 20], seed: 2)
        let got = try InferenceSession(artifact: fused).run([input])[0]
        let want = try InferenceSession(artifact: art).run([input])[0]
        #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-6), "max diff \(got.maxAbsDifference(to: want))")
    }

    /// A SiLU output large enough that its pass after the product is split over the
    /// session's threads (80 000 floats): every chunk, tails included, as one thread computes it.
    @Test func theSplitPassMatchesOneThread() throws {
        var b = ModelBuilder(name: "wide")
        let x = b.input("x", shape: [80, 24])
        let h = b.node("MatMul", [x, b.initializer("w", HostTensor.seeded(shape: [24, 1000], seed: 1))])
        b.node("Mul", [h, b.node("Sigmoid", [h])], output: "y")
        b.output("y", shape: [])
        let model = try ONNXModel(data: b.serialized())
        let input = HostTensor.seeded(shape: [80, 24], seed: 2)
        let one = try InferenceSession(artifact: artifact(model, threads: 1)).run([input])[0]
        let two = try InferenceSession(artifact: artifact(model, threads: 2)).run([input])[0]
        let unfused = try InferenceSession(artifact: artifact(model, threads: 1) { $0 is SiluFusion }).run([input])[0]
        #expect(two.data == one.data)
        #expect(one.isClose(to: unfused, rtol: 1e-5, atol: 1e-6), "max diff \(one.maxAbsDifference(to: unfused))")
    }

    /// The ONNX Swish operator (opset 24): alpha 1 takes the vector pass, any other
    /// alpha the portable loop; both against the formula in Double.
    @Test(arguments: [Float(1), 0.5]) func theSwishOperatorRuns(alpha: Float) throws {
        let x = HostTensor(shape: [2, 37], data: HostTensor.seeded(shape: [2, 37], seed: 5).data.map { $0 * 8 })
        let want = HostTensor(shape: x.shape, data: x.data.map { v in Float(Double(v) / (1 + exp(-Double(alpha) * Double(v)))) })
        var b = ModelBuilder(name: "swish", opset: 24)
        let input = b.input("x", shape: [2, 37])
        b.node("Swish", [input], output: "y", attributes: ["alpha": .float(alpha)])
        b.output("y", shape: [])
        let art = try artifact(try ONNXModel(data: b.serialized()), threads: 1)
        #expect(art.plan.steps.map(\.kernel) == ["unary"])
        #expect(art.plan.steps[0].attributes["simd"] == (alpha == 1 ? .string("avx2") : nil))
        let got = try InferenceSession(artifact: art).run([x])[0]
        #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-6), "max diff \(got.maxAbsDifference(to: want))")
    }

    /// roost_activation_avx2 against the Double formulas: every length 0–40 (the
    /// 16-, 8- and 1-wide loops), in place and out of place, with NaN, ±∞ and values
    /// past the exponential's clamp.
    @Test(.enabled(if: roost_isa_supported(ROOST_ISA_AVX2) != 0, "this CPU has no AVX2 + FMA: the vector activation pass is not exercised"))
    func theVectorPassMatchesTheFormulaOnEveryTail() {
        let special: [Float] = [.nan, .infinity, -.infinity, 100, -100, 88.5, -87.5, 0, -0.0]
        for act in [ROOST_ACT_SILU, ROOST_ACT_SIGMOID, ROOST_ACT_GELU] {
            for n in 0...40 {
                var x = HostTensor.seeded(shape: [max(n, 1)], seed: UInt64(n)).data.prefix(n).map { $0 * 12 }
                for (i, v) in special.enumerated() where i < n { x[(i * 7) % n] = v }
                var y = [Float](repeating: .nan, count: n), inPlace = x
                roost_activation_avx2(Int32(act.rawValue), x, &y, n)
                inPlace.withUnsafeMutableBufferPointer { p in roost_activation_avx2(Int32(act.rawValue), p.baseAddress, p.baseAddress, n) }
                #expect(y == inPlace || zip(y, inPlace).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
                for (v, got) in zip(x, y) {
                    let d = Double(v)
                    let want: Double = switch act {
                    case ROOST_ACT_SILU: d.isInfinite ? (d > 0 ? d : 0) : d / (1 + exp(-d))
                    case ROOST_ACT_SIGMOID: 1 / (1 + exp(-d))
                    default: d.isInfinite ? (d > 0 ? d : 0) : 0.5 * d * (1 + erf(d / 2.0.squareRoot()))
                    }
                    if v.isNaN {
                        #expect(got.isNaN, "act \(act.rawValue): NaN in gave \(got)")
                    } else if act == ROOST_ACT_SIGMOID || !v.isInfinite {
                        // GELU's rational erf stops at |x/√2| = 4: 6e-8 of |x| past it.
                        #expect(abs(Double(got) - want) <= 1e-6 * max(1, abs(d)), "act \(act.rawValue) n \(n): f(\(v)) = \(got), want \(want)")
                    }
                }
            }
        }
    }
}
