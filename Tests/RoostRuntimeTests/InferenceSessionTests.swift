import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
import RoostTestSupport
@testable import RoostRuntime

@Suite struct InferenceSessionTests {
    let target = TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1)

    func check(modelDir: URL, atol: Float, rtol: Float = 1e-3) throws {
        let artifact = try Compiler().compile(modelAt: modelDir.appendingPathComponent("model.onnx"), target: target)
        let session = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(artifact)))
        let input = try TensorProtoCodec.read(from: modelDir.appendingPathComponent("test_data_set_0/input_0.pb"))
        let expected = try TensorProtoCodec.read(from: modelDir.appendingPathComponent("test_data_set_0/output_0.pb"))
        let out = try session.run([input])
        #expect(out[0].shape == expected.shape)
        #expect(out[0].isClose(to: expected, rtol: rtol, atol: atol), "max abs diff \(out[0].maxAbsDifference(to: expected))")
        // Steady state: running again on the same inputs gives the same answer.
        session.execute()
        #expect(session.readOutputs()[0] == out[0])
    }

    @Test(.enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
    func sharedMLPMatchesONNXRuntimeWithin1e4() throws {
        try check(modelDir: try #require(TestEnvironment.sharedModel("mlp")), atol: 1e-4, rtol: 0)
    }

    @Test func shippedSuiteMatchesItsPlainLoopReference() throws {
        let dir = try TestEnvironment.temporaryDirectory("roost-suite")
        defer { try? FileManager.default.removeItem(at: dir) }
        for url in try ReferenceSuite.write(to: dir) {
            try check(modelDir: url.deletingLastPathComponent(), atol: 1e-4)
        }
    }

    @Test func wrongInputShapeIsRefused() throws {
        let dir = try TestEnvironment.temporaryDirectory("roost-suite")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try ReferenceSuite.write(ReferenceSuite.models[0], to: dir, seed: 1)
        let session = try InferenceSession(artifact: Compiler().compile(modelAt: url, target: target))
        #expect(throws: RoostError.self) { try session.run([HostTensor(shape: [1, 3])]) }
    }

    @Test func artifactWithOutOfRangeValuesIsRefused() throws {
        let dir = try TestEnvironment.temporaryDirectory("roost-suite")
        defer { try? FileManager.default.removeItem(at: dir) }
        var artifact = try Compiler().compile(modelAt: try ReferenceSuite.write(ReferenceSuite.models[0], to: dir, seed: 1), target: target)
        artifact.plan.values[0].offset = artifact.plan.arenaElements
        #expect(throws: RoostError.self) { try InferenceSession(artifact: artifact) }
        artifact = try Compiler().compile(modelAt: dir.appendingPathComponent("mlp-mnist/model.onnx"), target: target)
        artifact.plan.steps[0].kernel = "teleport"
        #expect { try InferenceSession(artifact: artifact) } throws: { "\($0)".contains("teleport") }
    }

    @Test func openBLASReportsItsCore() {
        #expect(!OpenBLAS.coreName.isEmpty)
        OpenBLAS.setThreads(1)
        #expect(OpenBLAS.threads == 1)
    }
}
