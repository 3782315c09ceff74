import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
import RoostTestSupport
@testable import RoostRuntime

/// The transformer encoder exported by PyTorch, against ONNX Runtime's output.
@Suite struct TensorEncoderTests {
    let target = TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1)

    @Test(.enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
    func encoder4x256MatchesONNXRuntime() throws {
        let dir = try #require(TestEnvironment.sharedModel("encoder4x256"))
        let artifact = try Compiler().compile(modelAt: dir.appendingPathComponent("model.onnx"), target: target)
        // Shape arithmetic is folded away and GELU is one kernel per layer.
        #expect(!artifact.plan.steps.contains { $0.origin.contains("Shape") || $0.kernel == "constant" })
        #expect(artifact.plan.steps.filter { $0.kernel == "unary" && $0.attributes["op"] == .string("erf") }.isEmpty)
        // Data movement composes into one remap per head tensor; reshapes are views (144 steps unfused).
        #expect(artifact.plan.steps.count <= 64)
        #expect(!artifact.plan.steps.contains { $0.kernel == "copy" })
        let session = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(artifact)))
        let input = try TensorProtoCodec.read(from: dir.appendingPathComponent("test_data_set_0/input_0.pb"))
        let expected = try TensorProtoCodec.read(from: dir.appendingPathComponent("test_data_set_0/output_0.pb"))
        let out = try session.run([input])
        #expect(out[0].shape == [1, 128, 256])
        #expect(out[0].isClose(to: expected, rtol: 1e-3, atol: 1e-4), "max abs diff \(out[0].maxAbsDifference(to: expected))")
        session.execute()
        #expect(session.readOutputs()[0] == out[0])
    }
}
