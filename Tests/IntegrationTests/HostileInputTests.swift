import Foundation
import Logging
import Testing
import RoostClient
import RoostCore
import RoostONNX
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Issue 18's seven findings, each replayed against a real scheduler process
/// and PostgreSQL: the attack as the tester made it, and the clean refusal (or
/// the harmless acceptance) that answers it now.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct HostileInputTests {
    static let hardware = HardwareProfile(arch: "x86_64", cpuModel: "Hostile CPU", isaFeatures: ["avx2", "fma"], logicalCPUs: 2,
                                          usableCPUIDs: [0], machineID: "hostile")
    static let ok = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                    samplesMs: [1, 2, 3], environment: RunEnvironment())

    /// A farm with an admin client and two agents enrolled through the API, and `jobs` queued jobs of model `model`.
    struct Farm: Sendable {
        let farm: TestFarm
        let url: DatabaseURL
        let admin: RoostClient
        let a1: RoostClient
        let a2: RoostClient
    }

    static func withFarm(jobs: Int, model: String = "hostile-model", _ body: @Sendable (Farm) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-hostile")
            defer { farm.stop() }
            let (admin, a1) = try await farm.apiClients(enrolling: "a1", hardware: hardware)
            let (_, a2) = try await farm.apiClients(enrolling: "a2", hardware: hardware)
            if jobs > 0 {
                try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
                    _ = try await StoreFixture(store, hardware: hardware).queue(jobs: jobs, model: model)
                }
            }
            try await body(Farm(farm: farm, url: url, admin: admin, a1: a1, a2: a2))
        }
    }

    /// The upload `ResultUpload(leaseToken:result:)` as JSON text, for editing by hand.
    static func uploadText(_ token: String, _ result: BenchmarkResult = ok) throws -> String {
        String(decoding: try RoostJSON.encoder().encode(ResultUpload(leaseToken: token, result: result)), as: UTF8.self)
    }

    // MARK: 1. Repeated keys, non-finite and negative numbers, batches

    @Test func repeatedKeysNeverStoreWhatWasNotValidatedAndReportsKeepRendering() async throws {
        try await Self.withFarm(jobs: 3) { f in
            // The tester's upload: statistics.p50 twice, the second copy a string
            // (PostgreSQL's jsonb keeps the last; the decoder validated one).
            for poison in [#""NaN""#, "-5", #""x""#] {
                let job = try #require(try await f.a1.lease(waitSeconds: 0))
                let text = try Self.uploadText(job.leaseToken).replacingOccurrences(of: #""p50":2,"#, with: #""p50":2,"p50":\#(poison),"#)
                #expect(text.contains(#""p50":\#(poison)"#), "the test's edit did not apply: \(text)")
                let reply = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/result", text)
                #expect(reply.status == 200 || reply.status == 400, "\(poison): \(reply.status) \(reply.text)")
                let stored = try await FarmSnapshot.scalar(f.url, "SELECT concat_ws(',', p50_ms, statistics->>'p50') FROM results WHERE job_id = '\(job.jobID)'")
                if reply.status == 200 {
                    #expect(stored == "2,2", "\(poison): stored \(stored ?? "nothing"), not the validated value")
                } else {
                    #expect(stored == nil, "\(poison): a refused upload stored \(stored ?? "")")
                    #expect(reply.error?.error.isEmpty == false)
                }
            }
            // Every report of the model still renders.
            let report = try await f.admin.raw("GET", "/v1/reports/hostile-model")
            #expect(report.status == 200, "\(report.text)")
            let cli = try f.farm.roost(["report", "--model", "hostile-model", "--scheduler", f.farm.scheduler])
            #expect(cli.status == 0, "\(cli.stderr)")
            let page = try await f.admin.raw("GET", "/reports/hostile-model")
            #expect(page.status == 200, "\(page.text)")
        }
    }

    @Test func negativeAndNonFiniteNumbersAreRefusedNamingTheField() async throws {
        try await Self.withFarm(jobs: 1) { f in
            let job = try #require(try await f.a1.lease(waitSeconds: 0))
            let base = try Self.uploadText(job.leaseToken)
            let cases: [(String, String, String)] = [
                (#""p50":2,"#, #""p50":-2,"#, "result.statistics.p50"),
                (#""samplesMs":[1,2,3]"#, #""samplesMs":[1,-2,3]"#, "result.samplesMs[1]"),
                (#""count":3,"#, #""count":-3,"#, "result.statistics.count"),
                (#""p50":2,"#, #""p50":1e999,"#, ""),
                (#""p50":2,"#, #""p50":NaN,"#, ""),
            ]
            for (from, to, field) in cases {
                let text = base.replacingOccurrences(of: from, with: to)
                #expect(text != base, "edit \(to) did not apply")
                let reply = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/result", text)
                #expect(reply.status == 400, "\(to): \(reply.status) \(reply.text)")
                if !field.isEmpty { #expect(reply.error?.field == field, "\(to): \(reply.text)") }
            }
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT count(*)::text FROM results") == "0")
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT state FROM jobs WHERE id = '\(job.jobID)'") == "leased")
            // The honest upload still goes through.
            #expect(try await f.a1.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: Self.ok))
        }
    }

    /// Concurrent uploads share one statement: bad members fail alone (4xx), the good ones are accepted.
    @Test func badMembersOfABatchFailAloneAndTheRestAreAccepted() async throws {
        try await Self.withFarm(jobs: 24) { f in
            var jobs: [JobAssignment] = []
            for _ in 0..<24 { jobs.append(try #require(try await f.a1.lease(waitSeconds: 0))) }
            let a1 = f.a1
            let replies = try await withThrowingTaskGroup(of: (Int, RawReply).self) { group in
                for (i, job) in jobs.enumerated() {
                    let good = try Self.uploadText(job.leaseToken)
                    // Every third upload is poisoned: a repeated key holding a string (the tester's 500s) or a negative latency.
                    let text = i % 3 == 0 ? good.replacingOccurrences(of: #""p50":2,"#, with: #""p50":2,"p50":"x","#)
                        : i % 3 == 1 ? good : good.replacingOccurrences(of: #""p90":"#, with: #""p90":-"#)
                    group.addTask { (i, try await a1.raw("POST", "/v1/jobs/\(job.jobID)/result", text)) }
                }
                var out: [Int: RawReply] = [:]
                for try await (i, r) in group { out[i] = r }
                return out
            }
            for (i, reply) in replies.sorted(by: { $0.key < $1.key }) {
                #expect(reply.status < 500, "upload \(i) got \(reply.status): \(reply.text)")
                if i % 3 == 1 { #expect(reply.status == 200, "good upload \(i): \(reply.status) \(reply.text)") }
                if i % 3 == 2 { #expect(reply.status == 400 && reply.error?.field == "result.statistics.p90", "\(i): \(reply.text)") }
            }
            let stored = try await FarmSnapshot.scalar(f.url, "SELECT count(*)::text FROM results WHERE NOT (p50_ms = 2 AND p90_ms >= 0)")
            #expect(stored == "0", "rows stored with values that were not validated")
        }
    }

    /// A row stored before these checks (or by hand) is listed as unreadable; the rest of the report renders.
    @Test func anUnreadableStoredRowIsShownWithItsIdAndTheRestRenders() async throws {
        try await Self.withFarm(jobs: 2) { f in
            let j1 = try #require(try await f.a1.lease(waitSeconds: 0))
            let j2 = try #require(try await f.a2.lease(waitSeconds: 0))
            #expect(try await f.a1.submitResult(jobID: j1.jobID, leaseToken: j1.leaseToken, result: Self.ok))
            #expect(try await f.a2.submitResult(jobID: j2.jobID, leaseToken: j2.leaseToken, result: Self.ok))
            // What the tester's upload left behind under the old code.
            try await FarmSnapshot.execute(f.url, """
                UPDATE results SET statistics = jsonb_set(statistics, '{p50}', '"NaN"'), samples_ms = '{NaN,1}' WHERE job_id = '\(j2.jobID)'
                """)
            let data = try await f.admin.reportData(model: "hostile-model")
            #expect(data.rows.map(\.jobID) == [j1.jobID])
            #expect(data.unreadable.map(\.jobID) == [j2.jobID], "\(data.unreadable)")
            let page = try await f.admin.raw("GET", "/reports/hostile-model")
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("Unreadable"), "\(page.status)")
            for format in ["md", "json", "csv", "html"] {
                let out = try f.farm.roost(["report", "--model", "hostile-model", "--format", format, "--scheduler", f.farm.scheduler])
                #expect(out.status == 0, "\(format): \(out.stderr)")
                #expect(out.stdout.contains(j2.jobID), "\(format) does not name the unreadable row")
                #expect(out.stdout.contains(j1.jobID) || format == "md" || format == "html", "\(format) lost the readable row")
            }
        }
    }

    // MARK: 2. Size of a result

    @Test func aResultPastItsSampleCapOrBodyLimitIsRefusedWith413AndChangesNothing() async throws {
        try await Self.withFarm(jobs: 1) { f in
            let job = try #require(try await f.a1.lease(waitSeconds: 0))
            let before = try await FarmSnapshot.take(f.url)
            let cap = InputLimits.maxSamples(for: BenchmarkProfile.quick)
            // More samples than a quick job may carry, in a body small enough to be read.
            var many = Self.ok
            many.samplesMs = [Double](repeating: 1, count: cap + 1)
            let counted = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/result", bytes: Data(try Self.uploadText(job.leaseToken, many).utf8))
            #expect(counted.status == 413, "\(counted.text)")
            #expect(counted.error?.field == "result.samplesMs" && counted.error?.limit == cap, "\(counted.text)")
            // The tester's 70 MB upload, three times: refused at the job's limit, memory bounded.
            let pid = try #require(f.farm.schedulerProcess?.child.pid)
            let rssBefore = try #require(residentMiB(pid))
            let huge = "{\"leaseToken\":\"\(job.leaseToken)\",\"result\":{\"samplesMs\":[" + String(repeating: "1.2345678901234,", count: 4_000_000) + "1]}}"
            for _ in 0..<3 {
                let reply = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/result", huge)
                #expect(reply.status == 413, "\(reply.status) \(reply.text)")
                #expect(reply.error?.field == "body" && reply.error?.limit == InputLimits.resultBodyBytes(samples: cap), "\(reply.text)")
            }
            let rssAfter = try #require(residentMiB(pid))
            #expect(rssAfter - rssBefore < 200, "scheduler memory grew \(rssBefore) → \(rssAfter) MiB")
            #expect(try await FarmSnapshot.take(f.url) == before, "a refused result changed the database")
        }
    }

    // MARK: 3. CSV

    @Test func aModelNamedLikeAFormulaIsNeutralisedInTheCSV() async throws {
        let name = #"=HYPERLINK("http://example.invalid","x")"#
        try await Self.withFarm(jobs: 1, model: name) { f in
            let job = try #require(try await f.a1.lease(waitSeconds: 0))
            #expect(try await f.a1.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: Self.ok))
            let out = try f.farm.roost(["report", "--model", name, "--format", "csv", "--scheduler", f.farm.scheduler])
            #expect(out.status == 0, "\(out.stderr)")
            let lines = out.stdout.components(separatedBy: "\r\n")
            try #require(lines.count >= 2, "no data line: \(out.stdout)")
            #expect(lines[1].hasPrefix(#""'=HYPERLINK("#), "first cell: \(lines[1].prefix(60))")
        }
    }

    // MARK: 4. Lease tokens bound to their agent

    @Test func aLeaseTokenIsRefusedWithAnotherAgentsCredential() async throws {
        try await Self.withFarm(jobs: 1) { f in
            let job = try #require(try await f.a1.lease(waitSeconds: 0))
            let before = try await FarmSnapshot.take(f.url)
            let beat = try await f.a2.raw("POST", "/v1/jobs/\(job.jobID)/heartbeat", #"{"leaseToken":"\#(job.leaseToken)","phase":"stolen"}"#)
            #expect(beat.status == 403, "\(beat.text)")
            let upload = try await f.a2.raw("POST", "/v1/jobs/\(job.jobID)/result", try Self.uploadText(job.leaseToken))
            #expect(upload.status == 403, "\(upload.text)")
            let next = try await f.a2.raw("POST", "/v1/jobs/\(job.jobID)/result",
                                          String(try Self.uploadText(job.leaseToken).dropLast()) + #","next":{"waitSeconds":0}}"#)
            #expect(next.status == 403, "\(next.text)")
            let release = try await f.a2.raw("POST", "/v1/jobs/\(job.jobID)/release", #"{"leaseToken":"\#(job.leaseToken)","reason":"mine now"}"#)
            #expect(release.status == 403, "\(release.text)")
            #expect(try await FarmSnapshot.take(f.url) == before, "a foreign credential changed the database")
            #expect(f.farm.logs.contains("lease token presented by an agent that does not hold it"))
            #expect(f.farm.logs.contains("holder=a1") && f.farm.logs.contains("agent=a2"), "the log does not name both agents")
            // The holder is unaffected.
            #expect(try await f.a1.jobHeartbeat(jobID: job.jobID, leaseToken: job.leaseToken, phase: "timed") != nil)
            #expect(try await f.a1.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: Self.ok))
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT a.name FROM results r JOIN agents a ON a.id = r.agent_id") == "a1")
        }
    }

    // MARK: 5. Free text

    @Test func overLongTextFieldsAreRefusedNamingTheFieldAndLimit() async throws {
        try await Self.withFarm(jobs: 1) { f in
            let job = try #require(try await f.a1.lease(waitSeconds: 0))
            let before = try await FarmSnapshot.take(f.url)
            let huge = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/heartbeat",
                                          #"{"leaseToken":"\#(job.leaseToken)","phase":"\#(String(repeating: "p", count: 5 << 20))"}"#)
            #expect(huge.status == 413 && huge.error?.field == "body" && huge.error?.limit == InputLimits.jsonBodyBytes, "\(huge.text)")
            let long = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/heartbeat",
                                          #"{"leaseToken":"\#(job.leaseToken)","phase":"\#(String(repeating: "p", count: 300))"}"#)
            #expect(long.status == 400 && long.error?.field == "phase" && long.error?.limit == InputLimits.phaseBytes, "\(long.text)")
            let reason = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/release",
                                            #"{"leaseToken":"\#(job.leaseToken)","reason":"\#(String(repeating: "r", count: 2000))"}"#)
            #expect(reason.status == 400 && reason.error?.field == "reason" && reason.error?.limit == InputLimits.reasonBytes, "\(reason.text)")
            var invalid = Self.ok
            invalid.validity = Validity(reasons: (0..<100).map { "reason \($0)" })
            let reasons = try await f.a1.raw("POST", "/v1/jobs/\(job.jobID)/result", try Self.uploadText(job.leaseToken, invalid))
            #expect(reasons.status == 400 && reasons.error?.field == "result.validity.reasons" && reasons.error?.limit == InputLimits.reasonCount, "\(reasons.text)")
            #expect(try await FarmSnapshot.take(f.url) == before, "refused text changed the database")

            let token = try await f.admin.createEnrollmentToken(ttlSeconds: 60).token
            let hardware = String(decoding: try RoostJSON.encoder().encode(Self.hardware), as: UTF8.self)
            let tags = (0..<100).map { #""t\#($0)":"v""# }.joined(separator: ",")
            let enrollTags = try await f.a1.raw("POST", "/v1/agents/enroll", #"{"token":"\#(token)","name":"tagged","tags":{\#(tags)},"hardware":\#(hardware)}"#)
            #expect(enrollTags.status == 400 && enrollTags.error?.field == "tags" && enrollTags.error?.limit == InputLimits.tagCount, "\(enrollTags.text)")
            let enrollName = try await f.a1.raw("POST", "/v1/agents/enroll",
                                                #"{"token":"\#(token)","name":"\#(String(repeating: "n", count: 200))","tags":{},"hardware":\#(hardware)}"#)
            #expect(enrollName.status == 400 && enrollName.error?.field == "name", "\(enrollName.text)")
            let longModelReply = try await f.admin.send("POST", "/v1/models", body: Data("not onnx".utf8), contentType: "application/octet-stream",
                                                        query: ["name": String(repeating: "m", count: 300)], allow: Set(100..<600))
            let longModel = RawReply(status: longModelReply.status, body: longModelReply.body)
            #expect(longModel.status == 400 && longModel.error?.field == "name" && longModel.error?.limit == InputLimits.modelNameBytes, "\(longModel.text)")
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT count(*)::text FROM agents") == "2")
        }
    }

    // MARK: 6. Names with reserved characters, error bodies

    @Test func namesWithReservedCharactersReachTheirReportsAndErrorsAreJSON() async throws {
        try await Self.withFarm(jobs: 1, model: "a b") { f in
            let job = try #require(try await f.a1.lease(waitSeconds: 0))
            #expect(try await f.a1.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: Self.ok))
            try await PostgresStore.with(f.url, logger: Logger(label: "it")) { store in
                _ = try await StoreFixture(store, hardware: Self.hardware).queue(jobs: 1, model: "x/y?z%#")
            }
            let other = try #require(try await f.a1.lease(waitSeconds: 0))
            #expect(try await f.a1.submitResult(jobID: other.jobID, leaseToken: other.leaseToken, result: Self.ok))
            for name in ["a b", "x/y?z%#"] {
                let data = try await f.admin.reportData(model: name)
                #expect(data.model.name == name && data.rows.count == 1)
                let cli = try f.farm.roost(["report", "--model", name, "--scheduler", f.farm.scheduler])
                #expect(cli.status == 0 && cli.stdout.contains(name), "\(name): \(cli.stderr)")
                let page = try await f.admin.raw("GET", "/reports/" + RoostClient.segment(name))
                #expect(page.status == 200, "\(name): \(page.status)")
            }
            // Escapes of bytes that are not UTF-8 (the client itself sends a lone `%` as `%25`),
            // written on the socket as they are: an HTTP client re-encodes the path.
            let adminToken = try #require(RoostHome.readTrimmed(f.farm.home.appendingPathComponent("admin.token")))
            let bad = try WireRequest.send(port: f.farm.port, "GET", "/v1/reports/%C3%28", credential: adminToken)
            #expect(bad.status == 400 && bad.error != nil, "\(bad.text)")
            // An over-long URI: Hummingbird's own 400, now with a JSON body.
            let long = try await f.admin.raw("GET", "/v1/reports/" + String(repeating: "x", count: 100_000))
            #expect(long.status == 400, "\(long.status)")
            #expect(long.error?.error.contains("could not be parsed") == true, "not a JSON error: '\(long.text)'")
        }
    }

    // MARK: 7. Model versions, enrollment-token lifetime

    static func model(_ op: String) throws -> Data {
        var b = ModelBuilder(name: "versioned", opset: 17)
        let x = b.input("x", shape: [1, 4])
        b.node(op, [x], output: "y")
        b.output("y", shape: [1, 4])
        return try b.serialized()
    }

    @Test func reUploadingANameMakesANewVersionAndReportSaysWhichItPicked() async throws {
        try await Self.withFarm(jobs: 0) { f in
            let v1 = try await f.admin.uploadModel(try Self.model("Relu"), name: "dup")
            let v2 = try await f.admin.uploadModel(try Self.model("Sigmoid"), name: "dup")
            #expect(v1.version == 1 && v2.version == 2 && v2.versions == 2 && v1.sha256 != v2.sha256)
            let again = try await f.admin.uploadModel(try Self.model("Relu"), name: "dup")
            #expect(again.version == 1 && again.sha256 == v1.sha256, "the same bytes again are the same version")
            #expect(try await f.admin.models().filter { $0.name == "dup" }.compactMap(\.version).sorted() == [1, 2])
            #expect(try await f.admin.reportData(model: "dup").model.sha256 == v2.sha256)
            #expect(try await f.admin.reportData(model: "dup@1").model.sha256 == v1.sha256)
            let newest = try f.farm.roost(["report", "--model", "dup", "--scheduler", f.farm.scheduler])
            #expect(newest.status == 0 && newest.stderr.contains("version 2 of 2"), "\(newest.stderr)")
            let first = try f.farm.roost(["report", "--model", "dup@1", "--scheduler", f.farm.scheduler])
            #expect(first.status == 0 && first.stderr.contains("version 1 of 2"), "\(first.stderr)")
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT count(DISTINCT (name, version))::text FROM models") == "2")

            let short = try await f.admin.raw("POST", "/v1/tokens/enroll", #"{"ttlSeconds":0.5}"#)
            #expect(short.status == 400 && short.error?.field == "ttlSeconds", "\(short.text)")
            let minimum = try await f.admin.raw("POST", "/v1/tokens/enroll", #"{"ttlSeconds":1}"#)
            #expect(minimum.status == 201, "\(minimum.text)")
        }
    }
}
