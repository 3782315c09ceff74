import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
import RoostTestSupport
@testable import RoostRuntime

@Suite struct StepProfilerTests {
    @Test func everyStepIsTimedAndTheSessionStillComputesTheSameOutputs() throws {
        let dir = try TestEnvironment.temporaryDirectory("roost-profile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try ReferenceSuite.write(ReferenceSuite.models[0], to: dir, seed: 3)
        let artifact = try Compiler().compile(modelAt: url, target: TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1))
        let session = try InferenceSession(artifact: artifact)
        let inputs = session.inputShapes.enumerated().map { i, s in HostTensor.seeded(shape: s, seed: UInt64(i)) }
        let expected = try session.run(inputs)

        let profile = StepProfiler.profile(session, warmup: 1, passes: 7)
        #expect(profile.passes == 7 && profile.threads == 1)
        #expect(profile.steps.map(\.index) == Array(0..<artifact.plan.steps.count))
        #expect(profile.steps.map(\.kernel) == artifact.plan.steps.map(\.kernel))
        #expect(profile.steps.allSatisfy { $0.minMicroseconds <= $0.medianMicroseconds && $0.minMicroseconds >= 0 })
        // The FLOP per step add up to the plan's, so GFLOP/s per step and per model agree.
        #expect(profile.steps.reduce(0) { $0 + $1.flops } == PlanCost.flops(of: artifact.plan))
        #expect(profile.steps.contains { $0.flops > 0 && $0.gflopsPerSecond != nil })
        #expect(profile.passMedianMicroseconds > 0)
        // Step by step is the same computation as a whole pass.
        #expect(session.readOutputs() == expected)
    }
}
