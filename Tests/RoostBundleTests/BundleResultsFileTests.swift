import Foundation
import Testing
import RoostCore
@testable import RoostBundle

/// The sealed results file: what `run-bundle` writes, the import verifies,
/// and nothing changed in it gets through.
@Suite struct BundleResultsFileTests {
    static let jobA = "00000000-0000-0000-0000-00000000000a"
    static let jobB = "00000000-0000-0000-0000-00000000000b"

    func manifest(key: String = BundleResultsFile.newResultKey()) -> BundleManifest {
        BundleManifest(bundleID: "11111111-1111-1111-1111-111111111111", benchmarkID: "22222222-2222-2222-2222-222222222222",
                       createdAt: Date(timeIntervalSince1970: 1_800_000_000), signingKey: "key", resultKey: key,
                       model: ModelInfo(sha256: String(repeating: "a", count: 64), name: "m", bytes: 1), jobs: [])
    }

    func result(_ p50: Double) -> BenchmarkResult {
        var env = RunEnvironment()
        env.hostname = "board"
        return BenchmarkResult(status: .succeeded, statistics: nil, samplesMs: [p50, p50 * 1.1, 0.1 + p50], environment: env,
                               validity: Validity(reasons: []))
    }

    func file(_ m: BundleManifest) throws -> Data {
        try BundleResultsFile(bundle: m, agentName: "pi5", hardware: HardwareProfile(arch: "aarch64", cpuModel: "Cortex-A76", isaFeatures: ["asimd"], logicalCPUs: 4),
                              profile: nil, results: [(Self.jobA, result(1.25)), (Self.jobB, .failure("bundled artifact hashes to x; refusing to run it"))]).encoded()
    }

    @Test func verifiesAndReadsBackEveryResult() throws {
        let m = manifest()
        let read = try BundleResultsFile.decode(try file(m))
        #expect(read.manifest.agentName == "pi5" && read.manifest.bundleID == m.bundleID)
        let results = try read.verify(resultKey: m.resultKey)
        #expect(results.map { $0.jobID } == [Self.jobA, Self.jobB])
        #expect(results[0].result == result(1.25))
        #expect(results[1].result.errorMessage?.contains("refusing") == true)
    }

    @Test func anotherKeyIsRefused() throws {
        let m = manifest()
        let read = try BundleResultsFile.decode(try file(m))
        #expect(throws: RoostError.self) { try read.verify(resultKey: BundleResultsFile.newResultKey()) }
    }

    /// A result edited (and the container's checksum made right again), a
    /// manifest edited, or a result moved to another job: each fails the seal or the digest.
    @Test func anEditedFileFailsTheSeal() throws {
        let m = manifest()
        let original = try BundleContainer.decode(try file(m), expecting: .results)
        func edited(_ change: (inout BundleContainer) -> Void) throws -> Data {
            var c = original
            change(&c)
            return c.encoded()
        }
        let faster = try edited { c in
            c.add(BundleResultsManifest.resultEntry(Self.jobA), CanonicalJSON.encode(result(0.5)))
        }
        let renamed = try edited { c in
            let text = String(decoding: c.entry(BundleResultsManifest.entryName)!, as: UTF8.self).replacingOccurrences(of: "pi5", with: "px5")
            c.add(BundleResultsManifest.entryName, Data(text.utf8))
        }
        let unsealed = try edited { c in c.add(BundleResultsManifest.sealName, Data("00".utf8)) }
        for (what, data) in [("a faster result", faster), ("another agent name", renamed), ("a wrong seal", unsealed)] {
            do {
                _ = try BundleResultsFile.decode(data).verify(resultKey: m.resultKey)
                Issue.record("\(what) passed")
            } catch let e as RoostError {
                #expect(e.description.contains("modified"), "\(what): \(e)")
            }
        }
    }
}
