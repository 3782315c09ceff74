import Foundation
import Logging
import Testing
import RoostClient
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// `/metrics` on a real scheduler process: after leases and results through the
/// agent API, the counters, histograms and gauges say so in the Prometheus text
/// format, and the scheduler's log lines name the job and the agent.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct SchedulerMetricsTests {
    let hardware = HardwareProfile(arch: "x86_64", cpuModel: "Metrics CPU", isaFeatures: ["avx2", "fma"], logicalCPUs: 2, usableCPUIDs: [0], machineID: "metrics")

    /// Two queued jobs for `hardware`'s target, inserted the way the scheduler would.
    func queueJobs(_ url: DatabaseURL) async throws {
        try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
            _ = try await StoreFixture(store, hardware: hardware).queue(jobs: 2, model: "metrics-model")
        }
    }

    @Test func metricsCountLeasesAndResultsInPrometheusTextFormat() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-metrics")
            defer { farm.stop() }
            let (_, agent) = try await farm.apiClients(enrolling: "metrics-agent", hardware: hardware)
            try await queueJobs(url)

            // One valid result, one error result, then an empty poll.
            let first = try #require(try await agent.lease(waitSeconds: 0))
            let valid = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                        samplesMs: [1, 2, 3], environment: RunEnvironment())
            #expect(try await agent.submitResult(jobID: first.jobID, leaseToken: first.leaseToken, result: valid))
            let second = try #require(try await agent.lease(waitSeconds: 0))
            #expect(try await agent.submitResult(jobID: second.jobID, leaseToken: second.leaseToken, result: .failure("boom")))
            #expect(try await agent.lease(waitSeconds: 0) == nil)

            let reply = try await RoostClient(scheduler: farm.scheduler, credential: nil).send("GET", "/metrics")
            let text = String(decoding: reply.body, as: UTF8.self)
            let lines = Set(text.split(separator: "\n").map(String.init))
            for expected in [
                "# TYPE roost_leases_granted_total counter",
                "roost_leases_granted_total 2",
                #"roost_results_total{validity="valid"} 1"#,
                #"roost_results_total{validity="error"} 1"#,
                #"roost_results_total{validity="invalid"} 0"#,
                "# TYPE roost_lease_query_duration_seconds histogram",
                "roost_lease_query_duration_seconds_count 3",
                #"roost_lease_query_duration_seconds_bucket{le="+Inf"} 3"#,
                #"roost_lease_request_duration_seconds_count{outcome="leased"} 2"#,
                #"roost_lease_request_duration_seconds_count{outcome="empty"} 1"#,
                // Three lease statements of one request each; two result statements of one upload each.
                "# TYPE roost_lease_batch_size histogram",
                "roost_lease_batch_size_count 3",
                "roost_lease_batch_size_sum 3.0",
                "roost_result_batch_size_count 2",
                "# TYPE roost_jobs gauge",
                #"roost_jobs{state="succeeded"} 1.0"#,
                #"roost_jobs{state="error"} 1.0"#,
                #"roost_jobs{state="queued"} 0.0"#,
                #"roost_agents{state="active"} 1.0"#,
                #"roost_agents{state="quarantined"} 0.0"#,
            ] {
                #expect(lines.contains(expected), "missing line '\(expected)' in:\n\(text)")
            }
            // Hummingbird's per-route request counter lands in the same registry.
            #expect(lines.contains { $0.hasPrefix("hb_requests{") && $0.contains(#"http_route="/v1/jobs/lease""#) && $0.contains(#"http_response_status_code="200""#) },
                    "no per-route request counter in:\n\(text)")
            // Every line is a comment or `name{labels} value`.
            let sample = #/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? [-+0-9.eEInfNa]+$/#
            for line in lines where !line.hasPrefix("# HELP ") && !line.hasPrefix("# TYPE ") {
                #expect(line.wholeMatch(of: sample) != nil, "not exposition format: '\(line)'")
            }

            // The scheduler's lease and result lines carry the job and the agent.
            let log = farm.schedulerProcess?.log ?? ""
            for (message, job) in [("job leased", first.jobID), ("result accepted", first.jobID), ("job leased", second.jobID)] {
                let line = log.split(separator: "\n").first { $0.contains(message) && $0.contains("job=\(job)") }
                #expect(line?.contains("agent=metrics-agent") == true, "no '\(message)' line with job=\(job) agent=metrics-agent in:\n\(log)")
            }
        }
    }
}
