import CRoostKernels
import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// A depthwise-separable network compiled for AVX2 or AVX-512 runs channels-last
/// and gives the numbers of the NCHW plan an SSE target gets (OpenBLAS): a stem on the direct kernel, depthwise convs of
/// stride 1 and 2 with asymmetric padding and a 5×5 window, channel counts of 16
/// and 20 (a part-filled vector), a fused residual, fused clamps and an activation
/// the GEMM cannot fuse, batch 2, 1 and 2 threads, every SIMD family of the
/// depthwise kernel.
@Suite struct ChannelsLastTests {
    static var avx2: Bool { roost_isa_supported(ROOST_ISA_AVX2) != 0 }
    /// The channels-last targets this CPU can run.
    static var families: [IsaLevel] {
        [IsaLevel.x86_64_avx2, .x86_64_avx512].filter {
            roost_isa_supported($0 == .x86_64_avx512 ? ROOST_ISA_AVX512 : ROOST_ISA_AVX2) != 0
        }
    }

    static func model() throws -> ONNXModel {
        var b = ModelBuilder(name: "separable")
        let x = b.input("x", shape: [2, 3, 13, 15])
        var seed: UInt64 = 10
        func weights(_ shape: [Int], _ name: String) -> String {
            seed += 1
            return b.initializer(name, HostTensor.seeded(shape: shape, seed: seed))
        }
        func conv(_ input: String, _ w: [Int], group: Int = 1, strides: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0], _ name: String) -> String {
            b.node("Conv", [input, weights(w, name + ".w"), weights([w[0]], name + ".b")],
                   attributes: ["group": .int(group), "strides": .ints(strides), "pads": .ints(pads)])
        }
        let stem = b.node("Relu", [conv(x, [16, 3, 3, 3], pads: [1, 1, 1, 1], "stem")])
        let d1 = b.node("Clip", [conv(stem, [16, 1, 3, 3], group: 16, pads: [1, 1, 1, 1], "d1"),
                                 b.initializer("lo", HostTensor(shape: [], data: [0])), b.initializer("hi", HostTensor(shape: [], data: [6]))])
        let p1 = b.node("Relu", [conv(d1, [20, 16, 1, 1], "p1")])
        let d2 = b.node("Relu", [conv(p1, [20, 1, 3, 3], group: 20, pads: [1, 1, 1, 1], "d2")])
        let sum = b.node("Add", [conv(d2, [20, 20, 1, 1], "p2"), p1])
        let d3 = b.node("Relu", [conv(sum, [20, 1, 3, 3], group: 20, strides: [2, 2], pads: [1, 0, 1, 2], "d3")])
        let d4 = conv(d3, [20, 1, 5, 5], group: 20, pads: [2, 2, 2, 2], "d4")
        let p3 = b.node("Sigmoid", [conv(d4, [36, 20, 1, 1], "p3")])
        b.node("GlobalAveragePool", [p3], output: "y")
        b.output("y", shape: [])
        return try ONNXModel(data: b.serialized())
    }

    func run(_ isa: IsaLevel, threads: Int, _ x: HostTensor) throws -> (Artifact, HostTensor) {
        let artifact = try Compiler().compile(Self.model(), name: "separable", target: TargetSpec(isa: isa, blasCoreType: nil, threads: threads))
        let session = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(artifact)))
        return (artifact, try session.run([x])[0])
    }

    @Test(.enabled(if: avx2, "needs a CPU with AVX2 + FMA"))
    func channelsLastMatchesTheNCHWPlan() throws {
        let x = HostTensor.seeded(shape: [2, 3, 13, 15], seed: 3)
        let (reference, want) = try run(.x86_64_sse, threads: 1, x)
        #expect(reference.header.decisions["conv.layout"] == nil)
        for isa in Self.families {
            for threads in [1, 2] {
                let (artifact, got) = try run(isa, threads: threads, x)
                // The stem (direct kernel) enters channels-last, the pool leaves it.
                #expect(artifact.header.decisions["conv.layout"] == "nhwc 8/8", "\(isa)")
                #expect(got.shape == [2, 36, 1, 1])
                #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-6), "\(isa), \(threads) threads: max diff \(got.maxAbsDifference(to: want))")
            }
        }
    }

    /// The depthwise kernel's other forms (which the plan does not pick) give the
    /// same numbers as the one it picks: AVX2 and portable under an AVX-512 plan,
    /// portable under an AVX2 one.
    @Test(.enabled(if: avx2, "needs a CPU with AVX2 + FMA"))
    func everyDepthwiseFamilyAgrees() throws {
        let x = HostTensor.seeded(shape: [2, 3, 13, 15], seed: 4)
        for isa in Self.families {
            let (compiled, want) = try run(isa, threads: 1, x)
            let simd = isa == .x86_64_avx512 ? "avx512" : "avx2"
            let depthwise = compiled.plan.steps.indices.filter { compiled.plan.steps[$0].attributes["algorithm"]?.string == "direct-depthwise" }
            #expect(depthwise.count == 4 && depthwise.allSatisfy { compiled.plan.steps[$0].attributes["simd"] == .string(simd) })
            for family in (isa == .x86_64_avx512 ? ["avx2", nil] : [nil]) as [String?] {
                var artifact = compiled
                for i in depthwise { artifact.plan.steps[i].attributes["simd"] = family.map { .string($0) } }
                let got = try InferenceSession(artifact: artifact).run([x])[0]
                #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-6), "\(isa) plan, \(family ?? "portable"): max diff \(got.maxAbsDifference(to: want))")
            }
        }
    }

    /// Weights the compiler cannot pack (one initializer read by two pointwise convs)
    /// are read as plain OIHW rows by the channels-last GEMM, and a global max pool
    /// reduces a channels-last input: the same numbers as the NCHW plan.
    @Test(.enabled(if: avx2, "needs a CPU with AVX2 + FMA"))
    func sharedWeightsAndAMaxPoolMatchTheNCHWPlan() throws {
        var b = ModelBuilder(name: "shared")
        let x = b.input("x", shape: [1, 24, 9, 9])
        let w = b.initializer("shared.w", HostTensor.seeded(shape: [24, 24, 1, 1], seed: 30))
        let p1 = b.node("Conv", [x, w])
        let d1 = b.node("Conv", [p1, b.initializer("d.w", HostTensor.seeded(shape: [24, 1, 3, 3], seed: 31))],
                        attributes: ["group": .int(24), "pads": .ints([1, 1, 1, 1])])
        let p2 = b.node("Conv", [d1, w])
        b.node("GlobalMaxPool", [p2], output: "y")
        b.output("y", shape: [])
        let model = try ONNXModel(data: b.serialized())
        let input = HostTensor.seeded(shape: [1, 24, 9, 9], seed: 32)
        func run(_ isa: IsaLevel) throws -> (Artifact, HostTensor) {
            let a = try Compiler().compile(model, name: "shared", target: TargetSpec(isa: isa, blasCoreType: nil, threads: 1))
            return (a, try InferenceSession(artifact: a).run([input])[0])
        }
        let (nchw, want) = try run(.x86_64_sse)
        #expect(nchw.header.decisions["conv.layout"] == nil)
        for isa in Self.families {
            let (nhwc, got) = try run(isa)
            #expect(nhwc.header.decisions["conv.layout"] == "nhwc 3/3", "\(isa)")
            #expect(nhwc.plan.steps.filter { $0.kernel == "conv" && $0.attributes["group"] == .int(1) }.allSatisfy { $0.attributes["packedWeights"] == nil })
            #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-6), "\(isa): max diff \(got.maxAbsDifference(to: want))")
        }
    }
}
