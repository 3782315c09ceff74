import Foundation
import CRoostKernels
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
import RoostTestSupport
@testable import RoostRuntime

/// The shared CNN reference models against ONNX Runtime's outputs.
@Suite struct CNNModelTests {
    func check(_ name: String, threads: Int, isa: IsaLevel = .x86_64_avx2) throws -> Artifact {
        let dir = try #require(TestEnvironment.sharedModel(name))
        let target = TargetSpec(isa: isa, blasCoreType: nil, threads: threads)
        let artifact = try Compiler().compile(modelAt: dir.appendingPathComponent("model.onnx"), target: target)
        let session = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(artifact)))
        let input = try TensorProtoCodec.read(from: dir.appendingPathComponent("test_data_set_0/input_0.pb"))
        let expected = try TensorProtoCodec.read(from: dir.appendingPathComponent("test_data_set_0/output_0.pb"))
        let out = try session.run([input])
        #expect(out[0].shape == expected.shape)
        #expect(out[0].isClose(to: expected, rtol: 1e-3, atol: 1e-4), "\(name): max abs diff \(out[0].maxAbsDifference(to: expected))")
        // A second run gives the same answer. Not bit for bit: OpenBLAS's thread
        // count is process-wide and other suites running in parallel change it,
        // and with it sgemm's summation order (mobilenet_v2's logits moved by more
        // than 1e-6 once, under load). Still ten times tighter than the ORT check.
        session.execute()
        let again = session.readOutputs()[0]
        #expect(again.isClose(to: out[0], rtol: 1e-4, atol: 1e-5), "\(name): a second run differs by \(again.maxAbsDifference(to: out[0]))")
        return artifact
    }

    @Test(.enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
    func resnet18MatchesONNXRuntime() throws {
        let artifact = try check("resnet18", threads: 1)
        // Every Add and Relu is fused: 20 convs, 1 max pool, global pool, flatten, gemm.
        #expect(artifact.plan.steps.map(\.kernel).filter { $0 == "conv" }.count == 20)
        #expect(!artifact.plan.steps.contains { ["relu", "binary"].contains($0.kernel) })
        #expect(artifact.header.decisions["conv.algorithms"] == "direct-depthwise:0,direct-grouped:0,gemm-1x1:0,im2col-gemm:20")
    }

    @Test(.enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
    func mobilenetV2MatchesONNXRuntime() throws {
        let artifact = try check("mobilenet_v2", threads: 1)
        #expect(!artifact.plan.steps.contains { ["clip", "binary"].contains($0.kernel) })
        #expect(artifact.header.decisions["conv.algorithms"] == "direct-depthwise:17,direct-grouped:0,gemm-1x1:34,im2col-gemm:1")
    }

    @Test(.enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
    func cnnModelsMatchTwoThreaded() throws {
        _ = try check("resnet18", threads: 2)
        _ = try check("mobilenet_v2", threads: 2)
    }

    /// On AVX2 and AVX-512 targets the depthwise-separable network runs channels-last:
    /// every conv, entered by the 3×3 stem (the direct kernel reads the NCHW image
    /// and writes channels-last) and left by the global pool.
    @Test(.enabled(if: TestEnvironment.hasSharedModels && roost_isa_supported(ROOST_ISA_AVX2) != 0,
                   "needs ../shared/models and a CPU with AVX2 + FMA"))
    func mobilenetV2ChannelsLastMatchesONNXRuntime() throws {
        let families: [IsaLevel] = roost_isa_supported(ROOST_ISA_AVX512) != 0 ? [.x86_64_avx2, .x86_64_avx512] : [.x86_64_avx2]
        for isa in families {
            for threads in [1, 2] {
                let artifact = try check("mobilenet_v2", threads: threads, isa: isa)
                #expect(artifact.header.decisions["conv.layout"] == "nhwc 52/52", "\(isa)")
                let pool = try #require(artifact.plan.steps.first { $0.kernel == "global_average_pool" })
                #expect(pool.attributes[TensorLayout.inputAttribute]?.string == "nhwc", "\(isa)")
            }
        }
    }
}
