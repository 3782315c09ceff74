import Foundation
import Testing
@testable import RoostCompiler
import RoostCore
import RoostONNX

/// Which values the compiler keeps channels-last, read from the plans it makes
/// (no AVX-512 CPU needed: compiling for a target does not run on it).
@Suite struct ChannelsLastLayoutTests {
    static let avx512 = TargetSpec(isa: .x86_64_avx512, blasCoreType: nil, threads: 1)

    /// stem → depthwise → pointwise (→ depthwise → pointwise)… with the given tail.
    func plan(_ build: (inout ModelBuilder, String) -> Void, target: TargetSpec = avx512) throws -> ExecutionPlan {
        var b = ModelBuilder(name: "layout")
        let x = b.input("x", shape: [1, 8, 10, 10])
        build(&b, x)
        b.output("y", shape: [])
        return try Compiler().compile(try ONNXModel(data: b.serialized()), name: "layout", target: target).plan
    }

    static func conv(_ b: inout ModelBuilder, _ input: String, _ w: [Int], group: Int = 1, output: String? = nil) -> String {
        // Every conv here reads a different value, so its weight's name is unique.
        let pads: [Int] = w[2] == 3 ? [1, 1, 1, 1] : [0, 0, 0, 0]
        return b.node("Conv", [input, b.initializer(input + ".w", HostTensor.seeded(shape: w, seed: UInt64(input.count)))],
                      output: output, attributes: ["group": .int(group), "pads": .ints(pads)])
    }

    func layouts(_ plan: ExecutionPlan) -> [String] {
        plan.steps.map { step in
            let i = TensorLayout.of(step, TensorLayout.inputAttribute)!, o = TensorLayout.of(step, TensorLayout.outputAttribute)!
            return "\(step.kernel):\(i.rawValue)>\(o.rawValue)"
        }
    }

    @Test func aSeparableChainGoesChannelsLastBetweenItsEntryAndThePool() throws {
        let p = try plan { b, x in
            let d1 = Self.conv(&b, x, [8, 1, 3, 3], group: 8)
            let p1 = Self.conv(&b, d1, [16, 8, 1, 1])
            let d2 = Self.conv(&b, p1, [16, 1, 3, 3], group: 16)
            let p2 = Self.conv(&b, d2, [16, 16, 1, 1])
            b.node("GlobalAveragePool", [p2], output: "y")
        }
        #expect(layouts(p) == ["conv:nchw>nchw", "conv:nchw>nhwc", "conv:nhwc>nhwc", "conv:nhwc>nhwc", "global_average_pool:nhwc>nchw"])
        // Channels-last values carry the NHWC shape; the pool knows its channel count; pointwise weights are packed as B.
        #expect(p.values[p.steps[2].outputs[0]].shape == [1, 10, 10, 16])
        #expect(p.steps[4].attributes["channels"] == .int(16))
        #expect(p.steps[1].attributes["packedWeights"] == .string("b") && p.steps[3].attributes["packedWeights"] == .string("b"))
    }

    @Test func aConvFeedingTheGraphOutputOrAnotherOperatorStaysNCHW() throws {
        // p2 feeds the graph output; p1 also feeds a Relu, which only reads NCHW.
        let p = try plan { b, x in
            let p1 = Self.conv(&b, x, [8, 8, 1, 1])
            let d1 = Self.conv(&b, p1, [8, 1, 3, 3], group: 8)
            let p2 = Self.conv(&b, d1, [8, 8, 1, 1])
            let r = b.node("Relu", [p1])
            b.node("Add", [p2, r], output: "y")
        }
        #expect(!layouts(p).contains { $0.contains("nhwc") })
    }

    @Test func aPlanWithoutAChannelsLastDepthwiseConvIsLeftAlone() throws {
        let pointwiseOnly = try plan { b, x in
            let p1 = Self.conv(&b, x, [16, 8, 1, 1])
            let p2 = Self.conv(&b, p1, [16, 16, 1, 1])
            b.node("GlobalAveragePool", [p2], output: "y")
        }
        #expect(!layouts(pointwiseOnly).contains { $0.contains("nhwc") })
        // A channel multiplier of 2 keeps the NCHW depthwise kernel.
        let multiplier = try plan { b, x in
            let p1 = Self.conv(&b, x, [8, 8, 1, 1])
            let d1 = Self.conv(&b, p1, [16, 1, 3, 3], group: 8)
            b.node("GlobalAveragePool", [d1], output: "y")
        }
        #expect(!layouts(multiplier).contains { $0.contains("nhwc") })
    }

    /// AVX2 and AVX-512 have the kernels (a GEMM tile reading plain rows, the vector
    /// depthwise kernel); SSE and ARM targets run OpenBLAS and stay NCHW.
    @Test func onlyAVX2AndAVX512TargetsGoChannelsLast() throws {
        let chain: (inout ModelBuilder, String) -> Void = { b, x in
            let p1 = Self.conv(&b, x, [8, 8, 1, 1])
            let d1 = Self.conv(&b, p1, [8, 1, 3, 3], group: 8)
            b.node("GlobalAveragePool", [d1], output: "y")
        }
        for isa in [IsaLevel.x86_64_avx512, .x86_64_avx2] {
            let p = try plan(chain, target: TargetSpec(isa: isa, blasCoreType: nil, threads: 1))
            #expect(layouts(p).contains("conv:nhwc>nhwc"), "\(isa)")
        }
        for isa in [IsaLevel.x86_64_sse, .aarch64_neon] {
            let p = try plan(chain, target: TargetSpec(isa: isa, blasCoreType: nil, threads: 1))
            #expect(!layouts(p).contains { $0.contains("nhwc") }, "\(isa)")
        }
    }

    /// A windowed conv on the direct kernel reads NCHW and writes channels-last
    /// (a network's stem); one the direct kernel would not run (20 channels fill
    /// 16-channel panels badly) stays NCHW, and so does what it feeds.
    @Test func aStemOnTheDirectKernelEntersTheRegion() throws {
        func chain(_ stemChannels: Int) -> (inout ModelBuilder, String) -> Void {
            { b, x in
                let stem = Self.conv(&b, x, [stemChannels, 8, 3, 3])
                let d1 = Self.conv(&b, stem, [stemChannels, 1, 3, 3], group: stemChannels)
                b.node("GlobalAveragePool", [d1], output: "y")
            }
        }
        let direct = try plan(chain(16))
        #expect(layouts(direct) == ["conv:nchw>nhwc", "conv:nhwc>nhwc", "global_average_pool:nhwc>nchw"])
        #expect(direct.steps[0].attributes["convKernel"] == .string("direct"))
        #expect(!layouts(try plan(chain(20))).contains { $0.contains("nhwc") })
    }
}
