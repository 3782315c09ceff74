import Foundation
import Testing
import RoostBundle
import RoostClient
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Issue 19's offline bundles against a real scheduler process, real `roost`
/// commands and PostgreSQL: `bench export` for a board described by its probe
/// creates jobs no online agent leases; `agent run-bundle` runs them with the
/// scheduler stopped, refusing a tampered artifact; `bench import` refuses a
/// modified results file, stores the good one exactly once (the second import
/// changes no row), and the report shows the board.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason), .serialized)
struct OfflineBundleTests {
    static let specOptions = ["--min-seconds", "0.1", "--min-iterations", "5"]

    /// Rewrites one entry of a container file, checksum made right again: a
    /// tamper the container alone cannot see, so the signature or seal must.
    static func tamper(_ file: URL, kind: BundleContainer.Kind, to out: URL, _ change: (inout BundleContainer) throws -> Void) throws {
        var container = try BundleContainer.decode(try Data(contentsOf: file), expecting: kind)
        try change(&container)
        try container.encoded().write(to: out)
    }

    /// Jobs, results and agents as text: equal before and after means nothing changed.
    static let rowsSQL = """
        SELECT concat_ws('|',
            (SELECT string_agg(concat_ws(',', id, state, attempt, agent_id, error, attempts::text, updated_at), ';' ORDER BY id) FROM jobs),
            (SELECT string_agg(concat_ws(',', job_id, status, p50_ms, sample_count, imported_sha256, created_at), ';' ORDER BY job_id) FROM results),
            (SELECT string_agg(concat_ws(',', id, name, state, hardware::text, offline_board), ';' ORDER BY id) FROM agents))
        """

    @Test func exportRunOfflineImportOnceAndReport() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-bundle")
            defer { farm.stop() }
            let db = try DatabaseURL(parsing: url.description)
            func sql(_ q: String) async throws -> String? { try await FarmSnapshot.scalar(db, q) }
            let dir = farm.home
            let model = dir.appendingPathComponent("relu.onnx")
            try HostileInputTests.model("Relu").write(to: model)

            // The board's probe, as an operator would carry it out of the lab.
            let probe = try farm.roost(["agent", "probe", "--json"])
            try #require(probe.status == 0, "\(probe.stderr)")
            let profile = dir.appendingPathComponent("lab-pi.json")
            try Data(probe.stdout.utf8).write(to: profile)

            // Export: one job for the described board, created `exported`.
            let bundle = dir.appendingPathComponent("lab-pi.bundle")
            let export = try farm.roost(["bench", "export", model.path, "--targets", "name=lab-pi", "--target-profile", profile.path,
                                         bundle.path, "--json", "--scheduler", farm.scheduler] + Self.specOptions)
            try #require(export.status == 0, "\(export.stderr)\n\(farm.logs)")
            let manifest = try OfflineBundle.read(from: bundle).manifest
            #expect(manifest.jobs.count == 1 && manifest.jobs.first?.board == "lab-pi")
            #expect(manifest.signingKey == (try Self.schedulerKey(farm)))
            let job = try #require(manifest.jobs.first)
            #expect(try await sql("SELECT state || ',' || (bundle_id IS NOT NULL) FROM jobs WHERE id = '\(job.jobID)'") == "exported,true")
            #expect(try farm.status(manifest.benchmarkID).jobs.map(\.state) == ["exported"])

            // An online agent with the very same target is offered nothing.
            let hardware = try CanonicalJSON.decode(HardwareProfile.self, from: Data(probe.stdout.utf8))
            let (_, agentClient) = try await farm.apiClients(enrolling: "online-twin", hardware: hardware)
            #expect(try await agentClient.lease(waitSeconds: 0) == nil, "an exported job was leased online")

            // A selector that matches no described board, and a viewer, are refused.
            let none = try farm.roost(["bench", "export", model.path, "--targets", "arch=riscv64", "--target-profile", profile.path,
                                       dir.appendingPathComponent("none.bundle").path, "--scheduler", farm.scheduler])
            #expect(none.status != 0 && none.stderr.contains("no board matches"), "\(none.stderr)")
            let viewer = try ScopedTokenTests.create(farm, role: "viewer", name: "bundle-viewer").secret
            let denied = try RoostProcess.run(["bench", "export", model.path, "--target-profile", profile.path,
                                               dir.appendingPathComponent("v.bundle").path, "--scheduler", farm.scheduler],
                                              home: dir, extraEnvironment: ["ROOST_TOKEN": viewer])
            #expect(denied.status != 0 && denied.stderr.contains("403"), "\(denied.stderr)")

            // The board has no network: the scheduler is down while it runs, and its home knows no scheduler.
            farm.stopScheduler()
            let board = try TestEnvironment.temporaryDirectory("roost-board")
            defer { try? FileManager.default.removeItem(at: board) }
            func runBundle(_ input: URL, _ output: URL) throws -> ProcessRunner.Output {
                try RoostProcess.run(["agent", "run-bundle", input.path, output.path], home: board, timeout: 120)
            }

            // A byte flipped in the bundled artifact: the job's result is the refusal, with the reason.
            let tamperedBundle = dir.appendingPathComponent("tampered.bundle")
            try Self.tamper(bundle, kind: .bundle, to: tamperedBundle) { c in
                var bytes = try #require(c.entry(job.artifact.entry))
                bytes[bytes.count / 2] ^= 1
                c.add(job.artifact.entry, bytes)
            }
            let tamperedOut = dir.appendingPathComponent("tampered.results")
            let refused = try runBundle(tamperedBundle, tamperedOut)
            #expect(refused.status == 0, "\(refused.stderr)")
            let refusedResult = try #require(try BundleResultsFile.decode(Data(contentsOf: tamperedOut)).verify(resultKey: manifest.resultKey).first?.result)
            #expect(refusedResult.status == .error)
            #expect(refusedResult.errorMessage?.contains("hashes to") == true && refusedResult.errorMessage?.contains("refusing to run it") == true,
                    "\(refusedResult.errorMessage ?? "")")

            // Bad input: no file, a truncated bundle, a results file where a bundle belongs.
            let missing = try runBundle(dir.appendingPathComponent("nowhere.bundle"), dir.appendingPathComponent("x.results"))
            #expect(missing.status != 0 && missing.stderr.contains("no bundle file"), "\(missing.stderr)")
            let truncated = dir.appendingPathComponent("truncated.bundle")
            try Data(contentsOf: bundle).prefix(200).write(to: truncated)
            let cut = try runBundle(truncated, dir.appendingPathComponent("x.results"))
            #expect(cut.status != 0 && cut.stderr.contains("truncated"), "\(cut.stderr)")
            let swapped = try runBundle(tamperedOut, dir.appendingPathComponent("x.results"))
            #expect(swapped.status != 0 && swapped.stderr.contains("not a bundle"), "\(swapped.stderr)")

            // The real run.
            let results = dir.appendingPathComponent("lab-pi.results")
            let ran = try runBundle(bundle, results)
            try #require(ran.status == 0, "\(ran.stdout)\n\(ran.stderr)")
            let file = try BundleResultsFile.decode(Data(contentsOf: results))
            #expect(file.manifest.agentName == "lab-pi" && file.manifest.hardware.arch == hardware.arch)
            let measured = try #require(try file.verify(resultKey: manifest.resultKey).first?.result)
            #expect(measured.status == .succeeded && measured.samplesMs.count >= 5, "\(measured.errorMessage ?? "")")
            #expect(measured.accuracy?.passed == true, "the bundle's reference data did not reach the accuracy gate")
            #expect(measured.environment.kernel?.isEmpty == false)
            try await farm.startScheduler()

            // A modified results file is refused, and nothing is stored.
            let forged = dir.appendingPathComponent("forged.results")
            try Self.tamper(results, kind: .results, to: forged) { c in
                var faster = measured
                faster.samplesMs = faster.samplesMs.map { $0 / 10 }
                c.add(BundleResultsManifest.resultEntry(job.jobID), CanonicalJSON.encode(faster))
            }
            let forgedImport = try farm.roost(["bench", "import", forged.path, "--scheduler", farm.scheduler])
            #expect(forgedImport.status != 0 && forgedImport.stderr.contains("modified"), "\(forgedImport.stderr)")
            #expect(try await sql("SELECT count(*)::text FROM results") == "0")
            let wrongKind = try farm.roost(["bench", "import", bundle.path, "--scheduler", farm.scheduler])
            #expect(wrongKind.status != 0 && wrongKind.stderr.contains("not a results file"), "\(wrongKind.stderr)")

            // Results for a bundle of another scheduler, or for no bundle this one made: refused by name.
            for (key, bundleID, expected) in [("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", manifest.bundleID, "another scheduler"),
                                              (manifest.signingKey, UUID().uuidString.lowercased(), "no bundle")] {
                var foreign = manifest
                foreign.signingKey = key
                foreign.bundleID = bundleID
                let stray = dir.appendingPathComponent("stray.results")
                try BundleResultsFile(bundle: foreign, agentName: "lab-pi", hardware: hardware, profile: nil, results: [(job.jobID, measured)])
                    .encoded().write(to: stray)
                let out = try farm.roost(["bench", "import", stray.path, "--scheduler", farm.scheduler])
                #expect(out.status != 0 && out.stderr.contains(expected), "\(out.stderr)")
            }

            // Imported once; the second import reports it and changes no row.
            let first = try farm.roost(["bench", "import", results.path, "--scheduler", farm.scheduler])
            #expect(first.status == 0 && first.stdout.contains("imported"), "\(first.stdout)\n\(first.stderr)\n\(farm.logs)")
            #expect(try await sql("SELECT j.state || ',' || j.attempt || ',' || a.name || ',' || a.state || ',' || a.offline_board || ',' || (r.imported_sha256 IS NOT NULL) FROM jobs j JOIN results r ON r.job_id = j.id JOIN agents a ON a.id = r.agent_id")
                    == "succeeded,1,lab-pi,offline,true,true")
            let before = try await sql(Self.rowsSQL)
            let again = try farm.roost(["bench", "import", results.path, "--scheduler", farm.scheduler])
            #expect(again.status == 0 && again.stdout.contains("already imported"), "\(again.stdout)\n\(again.stderr)")
            #expect(try await sql(Self.rowsSQL) == before, "the second import changed rows")
            #expect(try await sql("SELECT count(*)::text FROM results") == "1")
            // The tampered run's results now meet a job that has its result: refused, nothing changed.
            let late = try farm.roost(["bench", "import", tamperedOut.path, "--scheduler", farm.scheduler])
            #expect(late.status != 0 && late.stdout.contains("another results file"), "\(late.stdout)\n\(late.stderr)")
            #expect(try await sql(Self.rowsSQL) == before)

            // The report shows the board like any agent, marked offline.
            let csv = try farm.roost(["report", "--model", manifest.model.sha256, "--format", "csv", "--include-invalid", "--scheduler", farm.scheduler])
            #expect(csv.status == 0, "\(csv.stderr)")
            #expect(csv.stdout.contains("lab-pi") && csv.stdout.contains("offline") && csv.stdout.contains(job.jobID), "\(csv.stdout)")
            #expect(try farm.status(manifest.benchmarkID).jobs.map(\.state) == ["succeeded"])
        }
    }

    /// The scheduler's public key, from its signing key file.
    static func schedulerKey(_ farm: TestFarm) throws -> String {
        let seed = try #require(RoostHome.readTrimmed(farm.home.appendingPathComponent("signing.key")))
        return try ArtifactSigner(seed: #require(Data(base64Encoded: seed))).publicKey
    }
}
