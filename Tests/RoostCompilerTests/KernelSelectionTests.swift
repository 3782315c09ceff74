import CRoostKernels
import Foundation
import Testing
import RoostCore
import RoostONNX
import RoostRuntime
@testable import RoostCompiler

/// The compiler's per-step GEMM choice and compile-time weight packing: which
/// implementation each target gets, that packed plans compute what the OpenBLAS
/// plan of the same model computes (within 1e-5 relative), and that the weight
/// blob holds the packed operands instead of the originals.
@Suite struct KernelSelectionTests {
    /// Conv 3×3/2 (2 groups of 9 outputs, too wide for the direct grouped loop; bias) → Relu → Conv 1×1 with a residual Add → Relu →
    /// Flatten → Gemm (transB, bias) → Relu → MatMul with a constant B, batch `batch`.
    static func model(batch: Int) throws -> ONNXModel {
        var b = ModelBuilder(name: "gemm-selection")
        var x = b.input("x", shape: [batch, 4, 9, 11])
        let w1 = b.initializer("w1", .seeded(shape: [18, 2, 3, 3], seed: 1)), b1 = b.initializer("b1", .seeded(shape: [18], seed: 2))
        x = b.node("Conv", [x, w1, b1], attributes: ["group": .int(2), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])])
        let r = b.node("Relu", [x])
        let w2 = b.initializer("w2", .seeded(shape: [18, 18, 1, 1], seed: 3))
        let p = b.node("Conv", [r, w2], attributes: ["kernel_shape": .ints([1, 1])])
        let sum = b.node("Add", [p, r])
        x = b.node("Relu", [sum])
        x = b.node("Flatten", [x])  // 18 · 5 · 6 = 540
        let w3 = b.initializer("w3", .seeded(shape: [37, 540], seed: 4)), b3 = b.initializer("b3", .seeded(shape: [37], seed: 5))
        let fc = b.node("Gemm", [x, w3, b3], attributes: ["transB": .int(1)])
        x = b.node("Relu", [fc])
        let w4 = b.initializer("w4", .seeded(shape: [37, 21], seed: 6))
        _ = b.node("MatMul", [x, w4], output: "y")
        b.output("y", shape: [batch, 21])
        return try ONNXModel(data: b.serialized())
    }

    func compile(_ model: ONNXModel, _ isa: IsaLevel, threads: Int = 1) throws -> Artifact {
        try Compiler().compile(model, name: "m", target: TargetSpec(isa: isa, blasCoreType: nil, threads: threads))
    }

    func products(_ a: Artifact) -> [PlanStep] { a.plan.steps.filter { ["conv", "gemm", "matmul"].contains($0.kernel) } }

    @Test func eachTargetGetsTheImplementationItsISAFavours() throws {
        let model = try Self.model(batch: 1)
        let avx2 = try compile(model, .x86_64_avx2)
        #expect(products(avx2).count == 4)
        #expect(products(avx2).allSatisfy { $0.attributes["gemm"]?.string == "roost-avx2" && $0.attributes["packedWeights"] != nil })
        #expect(avx2.header.decisions["gemm.kernel"] == "roost-avx2:4 (packed 4)")

        let sse = try compile(model, .x86_64_sse)
        #expect(products(sse).allSatisfy { $0.attributes["gemm"] == nil && $0.attributes["packedWeights"] == nil })
        #expect(sse.header.decisions["gemm.kernel"] == "openblas:4 (packed 0)")

        // AVX-512: every product on Roost's 512-bit tile (one-row ones as its GEMV), weights packed.
        let avx512 = try compile(model, .x86_64_avx512)
        #expect(products(avx512).allSatisfy { $0.attributes["gemm"]?.string == "roost-avx512" && $0.attributes["packedWeights"] != nil })
        #expect(avx512.header.decisions["gemm.kernel"] == "roost-avx512:4 (packed 4)")

        // AArch64: the NEON 6×16 tile over the same panels (scripts/neon-check.sh runs it).
        let neon = try compile(model, .aarch64_neon)
        #expect(products(neon).allSatisfy { $0.attributes["gemm"]?.string == "roost-neon" && $0.attributes["packedWeights"] != nil })
        #expect(neon.header.decisions["gemm.kernel"] == "roost-neon:4 (packed 4)")
        #expect(neon.header.decisions["gemm.tile"] == "6x16")
        #expect(neon.weights == avx2.weights, "the NEON tile reads the AVX2 tile's panels")
        #expect(try compile(model, .aarch64_sve).plan.steps == neon.plan.steps)
    }

    /// An artifact for another CPU family is refused when the session is built,
    /// naming the family, instead of faulting on the first query.
    @Test func aPlanForAnotherCPUFamilyIsRefusedByName() throws {
        guard roost_isa_supported(ROOST_ISA_NEON) == 0 else {
            print("skipped: this CPU runs NEON, so a NEON plan is not foreign here")
            return
        }
        let neon = try compile(try Self.model(batch: 1), .aarch64_neon)
        #expect {
            _ = try InferenceSession(artifact: neon)
        } throws: { error in
            "\(error)".contains("compiled for AArch64 NEON, which this CPU lacks")
        }
    }

    @Test func packedPlansComputeWhatTheOpenBLASPlanComputes() throws {
        guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
            print("skipped: this CPU has no AVX2 + FMA, so the AVX2 plan cannot run here")
            return
        }
        for batch in [1, 3] {
            let model = try Self.model(batch: batch)
            let input = HostTensor.seeded(shape: [batch, 4, 9, 11], seed: 42)
            let reference = try InferenceSession(artifact: compile(model, .x86_64_sse)).run([input])[0]
            // The AVX-512 plan where this CPU can run it (the test says so where it cannot).
            let isas: [IsaLevel] = roost_isa_supported(ROOST_ISA_AVX512) != 0 ? [.x86_64_avx2, .x86_64_avx512] : [.x86_64_avx2]
            if isas.count == 1 { print("note: this CPU has no AVX-512F, so only the AVX2 plan is compared") }
            for isa in isas {
                for threads in [1, 2] {
                    let packed = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(compile(model, isa, threads: threads))))
                    let y = try packed.run([input])[0]
                    #expect(y.shape == reference.shape)
                    let scale = max(reference.data.map(abs).max() ?? 1, 1)
                    let worst = zip(y.data, reference.data).map { abs($0 - $1) / scale }.max() ?? 0
                    #expect(worst <= 1e-5, "\(isa), batch \(batch), \(threads) thread(s): worst relative difference \(worst)")
                }
            }
        }
    }

    @Test func theBlobHoldsThePackedOperandsInsteadOfTheOriginals() throws {
        let model = try Self.model(batch: 1)
        let sse = try compile(model, .x86_64_sse), avx2 = try compile(model, .x86_64_avx2)
        // Packing pads rows to 6 and columns to 16, and the originals are gone.
        let expected = 2 * roost_packed_a_floats(9, 18) + roost_packed_a_floats(18, 18)
            + roost_packed_b_floats(540, 37) + roost_packed_b_floats(37, 21)
            + 18 + 37  // the two biases stay as they were
        let packedValues = avx2.plan.values.filter { $0.name.hasSuffix(".packed") }
        #expect(packedValues.count == 4)
        #expect(packedValues.map(\.elementCount).reduce(0, +) + 55 == expected)
        #expect(avx2.weights.count >= expected && avx2.weights.count < expected + 16 * 8)
        #expect(avx2.weights.count > sse.weights.count)
        // Every value still lies inside its storage (the session validates the plan).
        _ = try InferenceSession(artifact: avx2)
    }

    /// Convs whose output channels fill 16-channel panels: a padded 3×3 stem
    /// (bias, Relu), a grouped 3×3 with a residual Add, a strided 1×1 (which takes the patch GEMM) and a
    /// 24-channel conv that stays on the patch GEMM.
    static func convModel(batch: Int) throws -> ONNXModel {
        var b = ModelBuilder(name: "direct-selection")
        var x = b.input("x", shape: [batch, 3, 13, 10])
        let w1 = b.initializer("w1", .seeded(shape: [32, 3, 3, 3], seed: 1)), b1 = b.initializer("b1", .seeded(shape: [32], seed: 2))
        x = b.node("Conv", [x, w1, b1], attributes: ["pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])])
        let r = b.node("Relu", [x])
        let w2 = b.initializer("w2", .seeded(shape: [32, 16, 3, 3], seed: 3))
        let c2 = b.node("Conv", [r, w2], attributes: ["group": .int(2), "pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])])
        let sum = b.node("Add", [c2, r])
        x = b.node("Relu", [sum])
        let w3 = b.initializer("w3", .seeded(shape: [48, 32, 1, 1], seed: 4))
        x = b.node("Conv", [x, w3], attributes: ["strides": .ints([2, 2]), "kernel_shape": .ints([1, 1])])
        let w4 = b.initializer("w4", .seeded(shape: [24, 48, 3, 3], seed: 5))
        _ = b.node("Conv", [x, w4], output: "y", attributes: ["kernel_shape": .ints([3, 3])])
        b.output("y", shape: [batch, 24, 5, 3])
        return try ONNXModel(data: b.serialized())
    }

    @Test func convsThatFillChannelPanelsRunDirectAndComputeWhatOpenBLASComputes() throws {
        let model = try Self.convModel(batch: 2)
        let avx2 = try compile(model, .x86_64_avx2)
        let convs = avx2.plan.steps.filter { $0.kernel == "conv" }
        #expect(convs.map { $0.attributes["convKernel"]?.string ?? "-" } == ["direct", "direct", "-", "-"])  // the strided 1×1 multiplies its subsampled image
        #expect(convs.map { $0.attributes["packedWeights"]?.string ?? "-" } == ["b", "b", "a", "a"])
        #expect(avx2.header.decisions["gemm.kernel"] == "roost-avx2:4 (packed 4, direct conv 2)")
        #expect(try compile(model, .x86_64_sse).plan.steps.allSatisfy { $0.attributes["convKernel"] == nil })
        // The direct kernel has no NEON form: AArch64 convs stay on the NEON GEMM.
        let neon = try compile(model, .aarch64_neon)
        #expect(neon.plan.steps.allSatisfy { $0.attributes["convKernel"] == nil })
        #expect(neon.header.decisions["gemm.kernel"] == "roost-neon:4 (packed 4)")
        guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
            print("skipped: this CPU has no AVX2 + FMA, so the AVX2 plan cannot run here")
            return
        }
        try expectAVX2PlanMatchesOpenBLAS(model, input: HostTensor.seeded(shape: [2, 3, 13, 10], seed: 7))
    }

    /// Two stride-1 3×3 convs with enough channels and pixels for Winograd (bias
    /// and Relu; a residual Add and Relu), then a strided 3×3 and a 16-channel 3×3
    /// that stay on the direct kernel.
    static func winogradModel(batch: Int) throws -> ONNXModel {
        var b = ModelBuilder(name: "winograd-selection")
        var x = b.input("x", shape: [batch, 32, 26, 26])
        let pads: [String: NodeAttributeValue] = ["pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])]
        let w1 = b.initializer("w1", .seeded(shape: [40, 32, 3, 3], seed: 1)), b1 = b.initializer("b1", .seeded(shape: [40], seed: 2))
        let c1 = b.node("Conv", [x, w1, b1], attributes: pads)
        let r = b.node("Relu", [c1])
        let w2 = b.initializer("w2", .seeded(shape: [40, 40, 3, 3], seed: 3))
        let c2 = b.node("Conv", [r, w2], attributes: pads)
        let sum = b.node("Add", [c2, r])
        x = b.node("Relu", [sum])
        let w3 = b.initializer("w3", .seeded(shape: [48, 40, 3, 3], seed: 4))
        var strided = pads
        strided["strides"] = .ints([2, 2])
        x = b.node("Conv", [x, w3], attributes: strided)
        let w4 = b.initializer("w4", .seeded(shape: [16, 48, 3, 3], seed: 5))
        _ = b.node("Conv", [x, w4], output: "y", attributes: pads)
        b.output("y", shape: [batch, 16, 13, 13])
        return try ONNXModel(data: b.serialized())
    }

    @Test func winogradIsChosenWhereItPaysAndComputesWhatOpenBLASComputes() throws {
        #expect(KernelSelection.favoursWinograd(kernel: [3, 3], strides: [1, 1], dilations: [1, 1], group: 1, inputChannels: 64, outputChannels: 64, pixels: 3136))
        #expect(!KernelSelection.favoursWinograd(kernel: [3, 3], strides: [2, 2], dilations: [1, 1], group: 1, inputChannels: 64, outputChannels: 64, pixels: 3136))
        #expect(!KernelSelection.favoursWinograd(kernel: [3, 3], strides: [1, 1], dilations: [2, 2], group: 1, inputChannels: 64, outputChannels: 64, pixels: 3136))
        #expect(!KernelSelection.favoursWinograd(kernel: [3, 3], strides: [1, 1], dilations: [1, 1], group: 2, inputChannels: 64, outputChannels: 64, pixels: 3136))
        #expect(!KernelSelection.favoursWinograd(kernel: [5, 5], strides: [1, 1], dilations: [1, 1], group: 1, inputChannels: 64, outputChannels: 64, pixels: 3136))
        #expect(!KernelSelection.favoursWinograd(kernel: [3, 3], strides: [1, 1], dilations: [1, 1], group: 1, inputChannels: 24, outputChannels: 64, pixels: 3136))
        #expect(!KernelSelection.favoursWinograd(kernel: [3, 3], strides: [1, 1], dilations: [1, 1], group: 1, inputChannels: 32, outputChannels: 32, pixels: 169))

        let model = try Self.winogradModel(batch: 2)
        let avx2 = try compile(model, .x86_64_avx2)
        let convs = avx2.plan.steps.filter { $0.kernel == "conv" }
        #expect(convs.map { $0.attributes["convKernel"]?.string ?? "-" } == ["winograd", "winograd", "direct", "direct"])
        #expect(convs.map { $0.attributes["packedWeights"]?.string ?? "-" } == ["winograd", "winograd", "b", "b"])
        #expect(avx2.header.decisions["gemm.kernel"] == "roost-avx2:4 (packed 4, direct conv 2, winograd 2)")
        #expect(convs[0].inputs.count > 1 && avx2.plan.values[convs[0].inputs[1]].elementCount == roost_winograd_weights_floats(40, 32))
        #expect(try compile(model, .aarch64_neon).plan.steps.allSatisfy { $0.attributes["convKernel"] == nil })
        guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
            print("skipped: this CPU has no AVX2 + FMA, so the AVX2 plan cannot run here")
            return
        }
        try expectAVX2PlanMatchesOpenBLAS(model, input: HostTensor.seeded(shape: [2, 32, 26, 26], seed: 9))
    }

    /// The AVX2 plan (through encode/decode, 1 and 2 threads) against the SSE plan,
    /// which runs every product on OpenBLAS: within 1e-5 of the output's scale.
    func expectAVX2PlanMatchesOpenBLAS(_ model: ONNXModel, input: HostTensor) throws {
        let reference = try InferenceSession(artifact: compile(model, .x86_64_sse)).run([input])[0]
        for threads in [1, 2] {
            let session = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(compile(model, .x86_64_avx2, threads: threads))))
            let y = try session.run([input])[0]
            #expect(y.shape == reference.shape)
            let scale = max(reference.data.map(abs).max() ?? 1, 1)
            let worst = zip(y.data, reference.data).map { abs($0 - $1) / scale }.max() ?? 0
            #expect(worst <= 1e-5, "\(threads) thread(s): worst relative difference \(worst)")
        }
    }

    /// Pointwise convs go direct only where the GEMM's 16-pixel panels would run
    /// part-empty (7×7 images) and K pays for turning the tile around.
    @Test func pointwiseConvsGoDirectOnSmallImagesOnly() {
        #expect(KernelSelection.pointwiseFavoursDirect(m: 960, n: 49, k: 160))
        #expect(KernelSelection.pointwiseFavoursDirect(m: 160, n: 49, k: 960))
        #expect(!KernelSelection.pointwiseFavoursDirect(m: 144, n: 3136, k: 24))
        #expect(!KernelSelection.pointwiseFavoursDirect(m: 576, n: 196, k: 96))
        #expect(!KernelSelection.pointwiseFavoursDirect(m: 24, n: 49, k: 960))  // 24 channels fill 16-channel panels to 75 %
        #expect(KernelSelection.fillsChannelPanels(64) && KernelSelection.fillsChannelPanels(72))
        #expect(!KernelSelection.fillsChannelPanels(24) && !KernelSelection.fillsChannelPanels(8))
    }

    /// On AVX-512 the direct kernel (AVX2) keeps the convs with a window, but a
    /// pointwise conv on a small image stays on the 512-bit GEMM, where AVX2 would
    /// take it direct.
    @Test func anAVX512TargetKeepsPointwiseConvsOnTheGEMM() throws {
        var b = ModelBuilder(name: "pointwise-avx512")
        var x = b.input("x", shape: [1, 160, 7, 7])
        let w1 = b.initializer("w1", .seeded(shape: [64, 160, 1, 1], seed: 1))
        x = b.node("Conv", [x, w1], attributes: ["kernel_shape": .ints([1, 1])])
        let w2 = b.initializer("w2", .seeded(shape: [64, 64, 3, 3], seed: 2))
        _ = b.node("Conv", [x, w2], output: "y", attributes: ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])])
        b.output("y", shape: [1, 64, 7, 7])
        let model = try ONNXModel(data: b.serialized())
        let kernels = { (a: Artifact) in products(a).map { "\($0.attributes["gemm"]?.string ?? "-") \($0.attributes["convKernel"]?.string ?? "gemm")" } }
        #expect(kernels(try compile(model, .x86_64_avx2)) == ["roost-avx2 direct", "roost-avx2 direct"])
        let avx512 = try compile(model, .x86_64_avx512)
        #expect(kernels(avx512) == ["roost-avx512 gemm", "roost-avx512 direct"])
        #expect(avx512.header.decisions["gemm.tile"] == "6x32")
    }

    @Test func aTiedWeightIsNotPacked() throws {
        // One constant feeds two Gemms: packing it for one would leave the other without it.
        var b = ModelBuilder(name: "tied")
        let x = b.input("x", shape: [1, 8])
        let w = b.initializer("w", .seeded(shape: [8, 8], seed: 9))
        let h = b.node("Gemm", [x, w])
        _ = b.node("Gemm", [h, w], output: "y")
        b.output("y", shape: [1, 8])
        let model = try ONNXModel(data: b.serialized())
        let a = try compile(model, .x86_64_avx2)
        #expect(products(a).allSatisfy { $0.attributes["gemm"]?.string == "roost-avx2" && $0.attributes["packedWeights"] == nil })
        let input = HostTensor.seeded(shape: [1, 8], seed: 3)
        let reference = try InferenceSession(artifact: compile(model, .x86_64_sse)).run([input])[0]
        if roost_isa_supported(ROOST_ISA_AVX2) != 0 {
            let y = try InferenceSession(artifact: a).run([input])[0]
            #expect(zip(y.data, reference.data).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        }
    }
}
