import CRoostKernels
import Foundation
import Testing
@testable import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// The direct grouped conv (`direct-grouped`: 2–64 input and at most 8 output
/// channels a group) against the conv by its definition: group widths that fill
/// the four-output pass and ones that leave a tail, strides, dilation, asymmetric
/// padding, a batch, every epilogue term, the AVX2 and the portable loop, 1 and 2 threads.
@Suite struct GroupedConvTests {
    typealias S = CNNTestSupport

    struct Case: CustomStringConvertible {
        var channels: Int, out: Int, group: Int, h: Int, w: Int
        var kernel = [3, 3], strides = [1, 1], dilations = [1, 1], pads = [1, 1, 1, 1]
        var bias = true, residual = false
        var activation: String? = nil
        var description: String { "\(channels)→\(out) g\(group) \(h)×\(w) k\(kernel) s\(strides) d\(dilations) p\(pads) act \(activation ?? "-") res \(residual)" }
    }

    func check(_ c: Case, isa: IsaLevel, threads: Int) throws {
        var b = ModelBuilder(name: "grouped")
        let x = b.input("x", shape: [2, c.channels, c.h, c.w])
        let wt = HostTensor.seeded(shape: [c.out, c.channels / c.group] + c.kernel, seed: 1)
        let bias = HostTensor.seeded(shape: [c.out], seed: 2)
        var inputs = [x, b.initializer("w", wt)]
        if c.bias { inputs.append(b.initializer("b", bias)) }
        let win = S.Window(kernel: c.kernel, strides: c.strides, dilations: c.dilations, pads: c.pads)
        var conv = b.node("Conv", inputs, attributes: ["group": .int(c.group), "kernel_shape": .ints(c.kernel), "strides": .ints(c.strides),
                                                      "dilations": .ints(c.dilations), "pads": .ints(c.pads)])
        let input = HostTensor.seeded(shape: [2, c.channels, c.h, c.w], seed: 3)
        var want = S.conv(input, wt, c.bias ? bias : nil, group: c.group, win)
        let skip = HostTensor.seeded(shape: want.shape, seed: 4)
        var graphInputs = [input]
        if c.residual {
            let r = b.input("r", shape: want.shape)
            conv = b.node("Add", [conv, r])
            want.data = zip(want.data, skip.data).map(+)
            graphInputs.append(skip)
        }
        switch c.activation {
        case "relu": conv = b.node("Relu", [conv]); want.data = want.data.map { max($0, 0) }
        case "silu":
            conv = b.node("Mul", [conv, b.node("Sigmoid", [conv])])
            want.data = want.data.map { Float(Double($0) / (1 + exp(-Double($0)))) }
        default: break
        }
        b.output(conv, shape: [])
        let artifact = try Compiler().compile(try ONNXModel(data: b.serialized()), name: "t", target: TargetSpec(isa: isa, blasCoreType: nil, threads: threads))
        #expect(artifact.plan.steps.map(\.kernel) == ["conv"], "\(c)")
        #expect(artifact.plan.steps[0].attributes["algorithm"] == .string("direct-grouped"), "\(c)")
        #expect(artifact.plan.steps[0].attributes["simd"] == (isa == .x86_64_avx2 ? .string("avx2") : nil))
        if c.activation != nil { #expect(artifact.plan.steps[0].attributes["activation"] == .string(c.activation!)) }
        if c.residual { #expect(artifact.plan.steps[0].attributes["residual"] == .int(1)) }
        let got = try InferenceSession(artifact: artifact).run(graphInputs)[0]
        #expect(got.shape == want.shape)
        #expect(got.isClose(to: want, rtol: 1e-5, atol: 1e-5), "\(isa) \(threads)t \(c): max diff \(got.maxAbsDifference(to: want))")
    }

    static let cases: [Case] = [
        Case(channels: 8, out: 8, group: 2, h: 9, w: 11),                                           // 4 → 4: one full pass
        Case(channels: 12, out: 20, group: 4, h: 7, w: 10, activation: "relu"),                     // 3 → 5: a pass and a one-output tail
        Case(channels: 16, out: 16, group: 8, h: 13, w: 6, strides: [2, 2], residual: true),        // 2 → 2, stride 2, residual
        Case(channels: 32, out: 32, group: 4, h: 8, w: 8, pads: [0, 2, 1, 0], activation: "silu"),  // 8 → 8, asymmetric padding
        Case(channels: 6, out: 9, group: 3, h: 10, w: 9, kernel: [5, 3], dilations: [2, 1], pads: [2, 1, 3, 1], bias: false),
        Case(channels: 128, out: 8, group: 2, h: 5, w: 5, strides: [2, 1]),                         // 64 inputs a group
    ]

    @Test(.enabled(if: roost_isa_supported(ROOST_ISA_AVX2) != 0, "this CPU has no AVX2 + FMA: the AVX2 grouped loop is not exercised"))
    func theAVX2LoopMatchesTheDefinition() throws {
        for c in Self.cases { for threads in [1, 2] { try check(c, isa: .x86_64_avx2, threads: threads) } }
    }

    @Test func thePortableLoopMatchesTheDefinition() throws {
        for c in Self.cases { for threads in [1, 2] { try check(c, isa: .x86_64_sse, threads: threads) } }
    }

    @Test func wideGroupsStayOnThePatchGEMM() {
        #expect(ConvAlgorithm.groupFavoursDirect(inputs: 4, outputs: 4))
        #expect(ConvAlgorithm.groupFavoursDirect(inputs: 64, outputs: 8))
        #expect(!ConvAlgorithm.groupFavoursDirect(inputs: 16, outputs: 16))  // fills the GEMM's panels: measured no faster direct
        #expect(!ConvAlgorithm.groupFavoursDirect(inputs: 65, outputs: 4))
        #expect(!ConvAlgorithm.groupFavoursDirect(inputs: 1, outputs: 4))     // depthwise has its own loop
    }
}
