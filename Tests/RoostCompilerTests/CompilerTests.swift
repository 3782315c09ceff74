import Foundation
import Testing
import RoostCore
import RoostONNX
@testable import RoostCompiler

@Suite struct CompilerTests {
    let target = TargetSpec(isa: .x86_64_avx2, blasCoreType: "Haswell", threads: 1)

    func mlpModel() throws -> ONNXModel {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [2, 4])
        let w1 = b.initializer("w1", HostTensor.seeded(shape: [8, 4], seed: 1))
        let b1 = b.initializer("b1", HostTensor.seeded(shape: [8], seed: 2))
        let h = b.node("Gemm", [x, w1, b1], attributes: ["transB": .int(1)])
        let r = b.node("Relu", [h])
        let i = b.node("Identity", [r])
        let w2 = b.initializer("w2", HostTensor.seeded(shape: [8, 3], seed: 3))
        b.node("Gemm", [i, w2], output: "y")
        b.output("y", shape: [2, 3])
        return try ONNXModel(data: b.serialized())
    }

    @Test func fusesReluRemovesIdentityAndPlansMemory() throws {
        let artifact = try Compiler().compile(try mlpModel(), name: "t", target: target)
        let plan = artifact.plan
        #expect(plan.steps.map(\.kernel) == ["gemm", "gemm"])
        #expect(plan.steps[0].attributes["activation"] == .string("relu"))
        #expect(plan.values[plan.outputs[0].valueID].shape == [2, 3])
        // Input (8 → 16 aligned) + hidden (16) + output (6 → 16): no reuse possible here.
        #expect(plan.arenaElements == 48)
        #expect(artifact.weights.count >= 32 + 8 + 24)
        #expect(artifact.header.decisions["blas.coreType"] == "Haswell")
        #expect(artifact.header.modelSHA256.count == 64)
    }

    @Test func compilationIsDeterministic() throws {
        let m = try mlpModel()
        let a = ArtifactCodec.encode(try Compiler().compile(m, name: "t", target: target))
        let b = ArtifactCodec.encode(try Compiler().compile(m, name: "t", target: target))
        #expect(a == b)
        let other = ArtifactCodec.encode(try Compiler().compile(m, name: "t", target: TargetSpec(isa: .x86_64_avx2, blasCoreType: "Haswell", threads: 2)))
        #expect(a != other)
    }

    @Test func unsupportedOperatorErrorNamesOpDomainOpsetAndNode() throws {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [1, 4])
        b.node("Softsign", [x], output: "y")
        b.output("y", shape: [1, 4])
        let model = try ONNXModel(data: b.serialized())
        #expect {
            try Compiler().compile(model, name: "t", target: target)
        } throws: { error in
            let m = "\(error)"
            return m.contains("Softsign") && m.contains("ai.onnx") && m.contains("opset 17") && m.contains("softsign_1")
        }
    }

    @Test func shapeMismatchIsAnError() throws {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [1, 5])
        let w = b.initializer("w", HostTensor.seeded(shape: [4, 3], seed: 1))
        b.node("Gemm", [x, w], output: "y")
        b.output("y", shape: [1, 3])
        #expect(throws: RoostError.self) { try Compiler().compile(try ONNXModel(data: b.serialized()), name: "t", target: target) }
    }

    @Test func memoryPlannerReusesDeadBuffers() {
        // a: steps 0-1, b: 1-2, c: 2-3 → c can take a's space.
        let (offsets, arena) = MemoryPlanner().plan([
            .init(id: 0, elements: 16, first: 0, last: 1),
            .init(id: 1, elements: 16, first: 1, last: 2),
            .init(id: 2, elements: 16, first: 2, last: 3),
        ])
        #expect(arena == 32)
        #expect(offsets[2] == offsets[0])
        #expect(offsets[0] != offsets[1])
    }
}
