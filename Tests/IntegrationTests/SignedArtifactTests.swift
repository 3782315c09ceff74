import Foundation
import Testing
import RoostClient
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Issue 19's signed artifacts against a real scheduler, a real agent process
/// and PostgreSQL: the key is made at first start (0600) and handed to the agent
/// at enrollment; a signed artifact runs; a byte flipped in the stored artifact,
/// or its signature removed, makes the agent refuse the job with the reason.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason), .serialized)
struct SignedArtifactTests {
    static let options = ["--targets", "suite=signed", "--min-seconds", "0.1", "--min-iterations", "5"]

    /// Queues `model` while the agent process is stopped, lets `tamper` edit the stored rows, starts the agent again and waits for the job.
    /// (Stopped rather than paused: a pause does not end a long-poll already waiting, which could lease the job before the tamper.)
    static func runTampered(_ farm: TestFarm, _ op: String, _ tamper: (_ modelSHA: String) async throws -> Void) async throws -> JobSummary {
        farm.agent("signer")?.stop()
        let file = farm.home.appendingPathComponent("\(op).onnx")
        try HostileInputTests.model(op).write(to: file)
        let queued = try farm.roost(["bench", "queue", file.path, "--name", op.lowercased(), "--json", "--scheduler", farm.scheduler] + options)
        try #require(queued.status == 0, "\(queued.stderr)")
        let status = try RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(queued.stdout.utf8))
        try await tamper(status.model.sha256)
        // Resumed too: two refused jobs in a row may have quarantined it.
        _ = try farm.roost(["agent", "resume", "signer", "--scheduler", farm.scheduler])
        _ = try farm.startAgent("signer")
        let done = try await farm.waitFor(status.benchmarkID, timeout: 120, "the tampered job to end") { s in
            s.jobs.allSatisfy { ["succeeded", "error", "failed", "cancelled"].contains($0.state) }
        }
        return try #require(done.jobs.first)
    }

    @Test func theAgentRunsSignedArtifactsAndRefusesTamperedAndUnsignedOnes() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-signed")
            defer { farm.stop() }
            let keyFile = farm.home.appendingPathComponent("signing.key")
            let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            _ = try farm.addAgent("signer", profileJSON: #"{"tags": {"suite": "signed"}}"#)
            // The agent's credentials file (RoostAgent is not a dependency of these tests: read as JSON).
            let credsData = try Data(contentsOf: farm.home.appendingPathComponent("agents/signer.json"))
            let creds = try #require(try JSONSerialization.jsonObject(with: credsData) as? [String: Any])
            let seed = try #require(RoostHome.readTrimmed(keyFile))
            #expect(try creds["signingKey"] as? String == ArtifactSigner(seed: #require(Data(base64Encoded: seed))).publicKey,
                    "the agent was not given the scheduler's public key at enrollment")

            // Signed: runs.
            let good = farm.home.appendingPathComponent("relu.onnx")
            try HostileInputTests.model("Relu").write(to: good)
            let (out, status) = try farm.queueAndWait(good, Self.options)
            #expect(out.status == 0 && status?.jobs.map(\.state) == ["succeeded"], "\(out.stderr)\n\(farm.logs)")

            // A byte flipped in the stored artifact: refused before it runs.
            let dbURL = try DatabaseURL(parsing: url.description)
            let tampered = try await Self.runTampered(farm, "Sigmoid") { model in
                try await FarmSnapshot.execute(dbURL, "UPDATE artifacts SET content = set_byte(content, 40, get_byte(content, 40) # 1) WHERE model_sha256 = '\(model)'")
            }
            #expect(tampered.state == "error", "\(tampered.state): \(tampered.errorMessage ?? "")")
            #expect(tampered.errorMessage?.contains("refusing to run it") == true && tampered.errorMessage?.contains("hashes to") == true,
                    "\(tampered.errorMessage ?? "")")

            // Its signature removed: refused as unsigned.
            let unsigned = try await Self.runTampered(farm, "Tanh") { model in
                try await FarmSnapshot.execute(dbURL, "DELETE FROM artifact_signatures WHERE model_sha256 = '\(model)'")
            }
            #expect(unsigned.state == "error", "\(unsigned.state): \(unsigned.errorMessage ?? "")")
            #expect(unsigned.errorMessage?.contains("unsigned") == true, "\(unsigned.errorMessage ?? "")")
            let agent = try #require(farm.agent("signer"))
            #expect(agent.child.isRunning, "the agent died refusing an artifact:\n\(agent.log)")

            // A restart keeps the key and leaves existing signatures alone; the
            // artifact and model whose signatures were deleted are signed again (by their recorded digests).
            let query = "SELECT string_agg(sha256 || ':' || signature, ',' ORDER BY sha256) FROM artifact_signatures"
            let before = Set((try await FarmSnapshot.scalar(dbURL, query) ?? "").split(separator: ","))
            farm.stopScheduler()
            try await farm.startScheduler()
            #expect(RoostHome.readTrimmed(keyFile) == seed)
            let after = Set((try await FarmSnapshot.scalar(dbURL, query) ?? "").split(separator: ","))
            #expect(before.isSubset(of: after) && after.count == before.count + 2, "before \(before.count), after \(after.count)")
        }
    }
}
