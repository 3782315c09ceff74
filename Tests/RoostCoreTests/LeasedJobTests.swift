import Foundation
import Testing
@testable import RoostCore

@Suite struct LeasedJobTests {
    let target = TargetSpec(hardware: HardwareProfile(arch: "x86_64", cpuModel: "Test \"CPU\"", isaFeatures: ["avx2"],
                                                      logicalCPUs: 4, usableCPUIDs: [0, 1], machineID: "m"))
    let spec = BenchmarkSpec(scenario: .offline, profile: .quick)

    func leased(name: String) throws -> LeasedJob {
        LeasedJob(jobID: "j1", benchmarkID: "b1", attempt: 3, leaseToken: "lease_abc-_", leaseSeconds: 30,
                  modelName: name, modelSHA256: String(repeating: "a", count: 64), artifactSHA256: String(repeating: "b", count: 64),
                  artifactBytes: 12345, targetJSON: String(decoding: try RoostJSON.encoder().encode(target), as: UTF8.self),
                  specJSON: String(decoding: try RoostJSON.encoder().encode(spec), as: UTF8.self))
    }

    @Test(arguments: ["mlp", "quote\" back\\slash / slash", "line\nfeed\ttab\r", "bell\u{07} nul\u{00} esc\u{1B}", "ünïcødé 模型 🦜"])
    func theHandWrittenReplyDecodesAsTheAssignment(name: String) throws {
        let job = try leased(name: name)
        let decoded = try RoostJSON.decoder().decode(JobAssignment.self, from: Data(job.wireJSON))
        let expected = JobAssignment(jobID: "j1", benchmarkID: "b1", attempt: 3, leaseToken: "lease_abc-_", leaseSeconds: 30,
                                     modelName: name, modelSHA256: job.modelSHA256, artifactSHA256: job.artifactSHA256,
                                     artifactBytes: 12345, target: target, spec: spec)
        #expect(decoded == expected)
        #expect(try job.assignment() == expected)
        // Also valid for a strict parser other than Foundation's decoder.
        #expect(try JSONSerialization.jsonObject(with: Data(job.wireJSON)) is [String: Any])
    }

    @Test func aResultReplyCarriesTheNextJob() throws {
        let job = try leased(name: "next \"one\"")
        let reply = try RoostJSON.decoder().decode(ResultAccepted.self, from: Data(job.acceptedWireJSON))
        #expect(reply.accepted)
        #expect(reply.next == (try job.assignment()))
        // The plain reply, from an older scheduler or without a next job, decodes too.
        let plain = try RoostJSON.decoder().decode(ResultAccepted.self, from: Data(#"{"accepted":true}"#.utf8))
        #expect(plain.accepted && plain.next == nil)
    }

    @Test func anUploadAsksForItsNextJobOnlyWhenTold() throws {
        let result = BenchmarkResult.failure("boom")
        let plain = try JSONSerialization.jsonObject(with: try RoostJSON.encoder().encode(ResultUpload(leaseToken: "t", result: result))) as? [String: Any]
        #expect(plain?["next"] == nil)
        let asking = try RoostJSON.encoder().encode(ResultUpload(leaseToken: "t", result: result, next: LeaseRequest(waitSeconds: 0)))
        #expect(try RoostJSON.decoder().decode(ResultUpload.self, from: asking).next?.waitSeconds == 0)
    }
}
