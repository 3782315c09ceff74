import Foundation
import Testing
@testable import RoostCore

/// The generic gate every `/v1` body passes (`InputCheck`) and the result's own
/// sign checks (`ResultCheck`): each limit refuses with the field and the limit.
@Suite struct InputCheckTests {
    static let ok = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                    samplesMs: [1, 2, 3], environment: RunEnvironment())

    func violation(_ body: () throws -> Void) -> InputViolation? {
        do { try body(); return nil } catch let v as InputViolation { return v } catch { Issue.record("unexpected \(error)"); return nil }
    }

    @Test func anHonestResultPasses() throws {
        try ResultCheck.validate(Self.ok)
        try InputCheck.standard.validate(ResultUpload(leaseToken: "lease_x", result: Self.ok, next: LeaseRequest(waitSeconds: 5)))
    }

    @Test func textFieldsAreLimitedByName() {
        let phase = violation { try InputCheck.standard.validate(JobHeartbeat(leaseToken: "t", phase: String(repeating: "p", count: 257))) }
        #expect(phase?.field == "phase" && phase?.limit == InputLimits.phaseBytes && phase?.kind == .tooLarge)
        #expect(violation { try InputCheck.standard.validate(JobHeartbeat(leaseToken: "t", phase: String(repeating: "p", count: 256))) } == nil)
        let reason = violation { try InputCheck.standard.validate(JobRelease(leaseToken: "t", reason: String(repeating: "é", count: 501))) }
        #expect(reason?.field == "reason" && reason?.limit == InputLimits.reasonBytes, "bytes of UTF-8, not characters")
        var r = Self.ok
        r.validity = Validity(reasons: [String(repeating: "x", count: 1001)])
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.validity.reasons[0]")
        r.validity = Validity(reasons: (0..<65).map(String.init))
        let many = violation { try ResultCheck.validate(r) }
        #expect(many?.field == "result.validity.reasons" && many?.limit == InputLimits.reasonCount)
        r = Self.ok
        r.environment.engineVersion = String(repeating: "v", count: InputLimits.textBytes + 1)
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.environment.engineVersion", "an unnamed field has the default limit")
    }

    @Test func tagsAreLimitedInCountKeyAndValue() {
        let hw = HardwareProfile(arch: "x86_64", cpuModel: "c", isaFeatures: [], logicalCPUs: 1, usableCPUIDs: [0], machineID: "m")
        func enroll(_ tags: [String: String]) -> InputViolation? {
            violation { try InputCheck.standard.validate(EnrollRequest(token: "t", name: "n", tags: tags, hardware: hw, profile: AgentProfile(tags: [:]))) }
        }
        #expect(enroll(Dictionary(uniqueKeysWithValues: (0..<65).map { ("k\($0)", "v") }))?.limit == InputLimits.tagCount)
        #expect(enroll([String(repeating: "k", count: 65): "v"])?.limit == InputLimits.tagKeyBytes)
        #expect(enroll(["k": String(repeating: "v", count: 257)])?.limit == InputLimits.tagValueBytes)
        #expect(enroll(["k": "v"]) == nil)
        let inProfile = violation {
            try InputCheck.standard.validate(EnrollRequest(token: "t", name: "n", tags: [:], hardware: hw,
                                                           profile: AgentProfile(tags: Dictionary(uniqueKeysWithValues: (0..<65).map { ("k\($0)", "v") }))))
        }
        #expect(inProfile?.field == "profile.tags" && inProfile?.limit == InputLimits.tagCount)
    }

    @Test func samplesAreCappedPerJob() {
        var r = Self.ok
        r.samplesMs = [Double](repeating: 1, count: 11)
        let v = violation { try ResultCheck.validate(r, maxSamples: 10) }
        #expect(v?.field == "result.samplesMs" && v?.limit == 10 && v?.kind == .tooLarge)
        #expect(InputLimits.maxSamples(for: BenchmarkProfile.quick) == InputLimits.leastMaxSamples)
        #expect(InputLimits.maxSamples(for: BenchmarkSpec(minIterations: 5_000_000)) == InputLimits.hardMaxSamples)
        #expect(InputLimits.maxSamples(for: BenchmarkSpec(profile: .quick, minIterations: 300_000)) == 300_000, "never below the spec's own minimum")
    }

    @Test func nonFiniteAndNegativeNumbersAreRefused() {
        var r = Self.ok
        r.statistics?.p50 = .nan
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.statistics.p50")
        r = Self.ok
        r.statistics?.p99 = -1
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.statistics.p99")
        r = Self.ok
        r.statistics?.count = -3
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.statistics.count")
        r = Self.ok
        r.samplesMs = [1, .infinity]
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.samplesMs[1]")
        r = Self.ok
        r.samplesMs = [1, -0.5]
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.samplesMs[1]")
        r = Self.ok
        r.scenarioMetrics = ScenarioMetrics(achievedQPS: -4)
        #expect(violation { try ResultCheck.validate(r) }?.field == "result.scenarioMetrics.achievedQPS")
        let wait = violation { try InputCheck.standard.validate(LeaseRequest(waitSeconds: .infinity)) }
        #expect(wait?.field == "waitSeconds" && wait?.kind == .invalid)
    }
}
