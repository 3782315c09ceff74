import Foundation
import Testing
import RoostBench
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostAgent

/// The agent's rerun rule: what it repeats, how often, and what it reports.
@Suite(.serialized) struct RerunLoopTests {
    static func result(_ reasons: [String], causes: [ValidityCause], p50: Double = 1) -> BenchmarkResult {
        var stats = LatencyStatistics(samplesMs: [p50], wallSeconds: 1)!
        stats.p50 = p50
        return BenchmarkResult(status: .succeeded, statistics: stats, samplesMs: [p50], environment: RunEnvironment(),
                               validity: Validity(reasons: reasons, causes: causes))
    }

    static let loaded = result(["other processes used 40% of the benchmark CPUs (limit 10%)"], causes: [.outsideLoad], p50: 2)
    static let clean = result([], causes: [], p50: 1)

    @Test func environmentCausedInvalidIsRerunUntilValid() async {
        let calls = LockedBox(0)
        let r = await RerunLoop(maxReruns: 2, settleSeconds: 0).run { n in
            calls.update { $0 += 1 }
            return n == 1 ? Self.loaded : Self.clean
        }
        #expect(calls.get() == 2)
        #expect(r.isValid)
        #expect(r.statistics?.p50 == 1)
        #expect(r.tries?.reported == 2)
        #expect(r.tries?.tries.map(\.number) == [1, 2])
        #expect(r.tries?.tries[0].validity?.valid == false)
        #expect(r.tries?.tries[1].settleSeconds == 0)
        #expect(r.tryCount == 2)
    }

    @Test func givesUpAfterMaxRerunsAndReportsTheLastTry() async {
        let calls = LockedBox(0)
        let r = await RerunLoop(maxReruns: 2, settleSeconds: 0.05).run { n in
            calls.update { $0 += 1 }
            return Self.result(["other processes used \(30 + n)% of the benchmark CPUs (limit 10%)"], causes: [.outsideLoad], p50: Double(n))
        }
        #expect(calls.get() == 3)
        #expect(!r.isValid)
        #expect(r.tries?.reported == 3)
        #expect(r.statistics?.p50 == 3)
        #expect(r.validity?.reasons == ["other processes used 33% of the benchmark CPUs (limit 10%)"])
        #expect(r.tries?.tries.compactMap(\.settleSeconds) == [0.05, 0.05])
    }

    @Test func accuracyFailuresAndShortRunsAreNeverRerun() async {
        for causes in [[ValidityCause.accuracy], [.outsideLoad, .accuracy], [.length]] {
            let calls = LockedBox(0)
            let r = await RerunLoop(maxReruns: 2, settleSeconds: 0).run { _ in
                calls.update { $0 += 1 }
                return Self.result(causes.map(\.rawValue), causes: causes)
            }
            #expect(calls.get() == 1, "\(causes)")
            #expect(r.tryCount == 1)
            #expect(r.tries?.reported == 1)
        }
    }

    @Test func aValidFirstTryIsRunOnceAndStillRecorded() async {
        let r = await RerunLoop(spec: BenchmarkSpec(profile: .quick)).run { _ in Self.clean }
        #expect(r.tries?.tries.count == 1 && r.tries?.reported == 1)
        #expect(RerunLoop(spec: BenchmarkSpec(profile: .standard)).maxReruns == 2)
        #expect(RerunLoop(spec: BenchmarkSpec(profile: .quick, maxReruns: 0)).maxReruns == 0)
    }

    @Test func anErrorOnARerunReportsTheMeasuredTry() async {
        let r = await RerunLoop(maxReruns: 1, settleSeconds: 0).run { n in n == 1 ? Self.loaded : .failure("worker crashed with signal 9") }
        #expect(r.status == .succeeded)
        #expect(r.tries?.reported == 1)
        #expect(r.tries?.tries[1].status == .error)
        #expect(r.tries?.tries[1].errorMessage == "worker crashed with signal 9")
    }

    @Test func resultsWithTriesSurviveTheWireAndOldOnesDecode() throws {
        let r = BenchmarkResult(status: .succeeded, statistics: nil, samplesMs: [], environment: RunEnvironment(),
                                validity: Validity(reasons: ["x"], causes: [.stability]))
        var withTries = r
        withTries.tries = RunTries(reported: 1, tries: [BenchmarkTry(number: 1, result: r)])
        let back = try CanonicalJSON.decode(BenchmarkResult.self, from: CanonicalJSON.encode(withTries))
        #expect(back == withTries)
        let old = #"{"status":"succeeded","samplesMs":[],"environment":{"engine":"native","engineVersion":"1","harnessVersion":"1","cpuAffinity":[]},"validity":{"valid":false,"reasons":["variation above threshold (CV 0.40 > 0.25)"]}}"#
        let decoded = try CanonicalJSON.decode(BenchmarkResult.self, from: Data(old.utf8))
        #expect(decoded.tries == nil && decoded.tryCount == 1)
        #expect(decoded.validity?.causes == nil && decoded.validity?.isRerunnable == false)
    }

    /// A genuinely loaded CPU: a busy loop pinned to every CPU the benchmark
    /// runs on. The reruns cannot escape it, so the job ends INVALID with the
    /// outside-load reason on every try.
    @Test func aBusyLoopOnTheBenchmarkCPUIsStillInvalidAfterItsReruns() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-rerun-busy-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try ReferenceSuite.write(ReferenceSuite.models[0], to: dir, seed: 11)
        let artifact = try Compiler().compile(modelAt: model, target: TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1))
        let file = dir.appendingPathComponent("m.roost")
        try ArtifactCodec.encode(artifact).write(to: file)
        // The quick profile's own minimums: a shorter run would be INVALID for its
        // length too, which no rerun can fix (and so is not rerun).
        let spec = BenchmarkSpec(profile: .quick, rerunSettleSeconds: 0.2)
        let cpus = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }.map { String($0.split(separator: "\t").last ?? "0") } ?? "0"
        let spinners = try cpus.split(separator: ",").flatMap { part -> [ChildProcess] in
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            return try (bounds[0]...(bounds.last ?? bounds[0])).map { cpu in
                try ChildProcess("/usr/bin/taskset", ["-c", String(cpu), "/bin/sh", "-c", "while :; do :; done"])
            }
        }
        defer { for s in spinners { s.stop(grace: 1) } }
        try await Task.sleep(for: .milliseconds(200))
        let request = WorkerRequest(artifactPath: file.path, spec: spec)
        let r = await RerunLoop(spec: spec).run { _ in Worker.run(request) }
        #expect(r.status == .succeeded)
        #expect(!r.isValid)
        #expect(r.tryCount == 3, "\(r.tries?.tries.map { $0.validity?.reasons ?? [] } ?? [])")
        for t in r.tries?.tries ?? [] {
            #expect(t.validity?.reasons.contains { $0.hasPrefix("other processes used") } == true, "try \(t.number): \(t.validity?.reasons ?? [])")
            // Not a fixed share: this process's own threads (parallel tests) compete
            // with the spinners for the same CPUs. The contract is the limit.
            #expect((t.environment.otherCPUFraction ?? 0) > spec.maxOtherCPUFraction, "try \(t.number): \(t.environment.otherCPUFraction ?? 0)")
        }
        #expect(r.validity?.reasons.contains { $0.hasPrefix("other processes used") } == true)
    }

    static func tail(p50: Double, p99: Double, extra: [String] = [], causes extraCauses: [ValidityCause] = []) -> BenchmarkResult {
        var r = result(["outliers (900, 15.0 % of queries) move p99 by +48 % > +25 %"] + extra, causes: [.stability] + extraCauses, p50: p50)
        r.statistics?.p99 = p99
        return r
    }

    /// The demo's tiny models at two threads: a second mode 15–30 % of queries
    /// wide, which a tight IQR marks as far out, in every try, with p50 and p99
    /// the same each time. The tail is the target's, not a disturbance: VALID,
    /// reporting the try with the median p99, every try kept as it was.
    @Test func outliersThatAgreeOverEveryTryAreASteadyTail() async throws {
        let tries = [Self.tail(p50: 0.0329, p99: 0.0520), Self.tail(p50: 0.0321, p99: 0.0541), Self.tail(p50: 0.0325, p99: 0.0527)]
        let r = await RerunLoop(spec: BenchmarkSpec(profile: .quick, rerunSettleSeconds: 0)).run { n in tries[n - 1] }
        #expect(r.isValid, "\(r.validity?.reasons ?? [])")
        #expect(r.statistics?.p99 == 0.0527)
        let runTries = try #require(r.tries)
        #expect(runTries.reported == 3 && runTries.tries.count == 3)
        #expect(runTries.tries.allSatisfy { $0.validity?.valid == false })
        let note = try #require(runTries.steadyTail)
        #expect(note.contains("all 3 tries") && note.contains("≤ ±25 %") && note.contains("reported try 3"), "\(note)")
    }

    /// Tries whose p99 disagrees (1.0 → 1.9 ms), tries with another reason
    /// beside the outliers, or too few tries: the ordinary rule, INVALID.
    @Test func outliersThatMoveBetweenTriesOrComeWithOtherReasonsStayInvalid() async {
        let moving = [Self.tail(p50: 0.5, p99: 1.0), Self.tail(p50: 0.5, p99: 1.9), Self.tail(p50: 0.5, p99: 1.4)]
        let r1 = await RerunLoop(spec: BenchmarkSpec(profile: .quick, rerunSettleSeconds: 0)).run { n in moving[n - 1] }
        #expect(!r1.isValid && r1.tries?.steadyTail == nil && r1.tries?.reported == 3)

        let loaded = Self.tail(p50: 0.5, p99: 1.0, extra: ["other processes used 40% of the benchmark CPUs (limit 10%)"], causes: [.outsideLoad])
        let r2 = await RerunLoop(spec: BenchmarkSpec(profile: .quick, rerunSettleSeconds: 0)).run { _ in loaded }
        #expect(!r2.isValid && r2.tries?.steadyTail == nil)

        let wide = Self.tail(p50: 0.5, p99: 1.0, extra: ["p99 interval ±30 % > ±25 %"])
        let r3 = await RerunLoop(spec: BenchmarkSpec(profile: .quick, rerunSettleSeconds: 0)).run { _ in wide }
        #expect(!r3.isValid)

        let once = BenchmarkSpec(profile: .quick, maxReruns: 1, rerunSettleSeconds: 0)
        let r4 = await RerunLoop(spec: once).run { _ in Self.tail(p50: 0.5, p99: 1.0) }
        #expect(!r4.isValid && r4.tries?.tries.count == 2)
    }
}
