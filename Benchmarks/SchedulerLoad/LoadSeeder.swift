import Foundation
import Logging
import PostgresNIO
import RoostCore
import RoostStore

/// Puts the farm in the state the load needs: `agents` enrolled through the
/// real API (one token each, one shared hardware profile) and `jobs` no-op jobs
/// queued by a direct bulk insert against one tiny model and artifact — the
/// compile path is not what this benchmark measures.
struct LoadSeeder: Sendable {
    let http: LoadHTTP
    let database: DatabaseURL
    let adminToken: String

    /// Every simulated agent reports this machine; the lease matches on its target.
    static let hardware = HardwareProfile(arch: "x86_64", cpuModel: "Load Test CPU", isaFeatures: ["avx2", "fma"],
                                          logicalCPUs: 2, usableCPUIDs: [0, 1], machineID: "roost-bench-scheduler")

    struct Enrolled: Sendable {
        var name: String
        var credential: String
    }

    func enroll(_ count: Int, parallel: Int = 16) async throws -> [Enrolled] {
        try await withThrowingTaskGroup(of: Enrolled.self) { group in
            var out: [Enrolled] = []
            var next = 0
            func add() {
                let name = String(format: "load-%04d", next)
                next += 1
                group.addTask { try await enrollOne(name) }
            }
            while next < min(parallel, count) { add() }
            while let agent = try await group.next() {
                out.append(agent)
                if next < count { add() }
            }
            return out.sorted { $0.name < $1.name }
        }
    }

    private func enrollOne(_ name: String) async throws -> Enrolled {
        struct TokenBody: Encodable { var ttlSeconds: Double }
        let token = try await http.json("/v1/tokens/enroll", credential: adminToken, TokenBody(ttlSeconds: 600), as: TokenResponse.self)
        let request = EnrollRequest(token: token.token, name: name, tags: ["bench": "scheduler-load"], hardware: Self.hardware, profile: nil)
        let reply = try await http.json("/v1/agents/enroll", credential: nil, request, as: EnrollResponse.self)
        return Enrolled(name: name, credential: reply.credential)
    }

    /// Queues `count` jobs for the agents' target in one statement; `created_at`
    /// steps by a microsecond so the queue order is total, as jobs queued over time are.
    func queueJobs(_ count: Int, logger: Logger) async throws {
        let target = Self.hardware.targets[0]
        try await PostgresStore.with(database, logger: logger) { store in
            let model = Data("roost-bench-scheduler model \(UUID().uuidString)".utf8)
            let modelSHA = Digest.sha256Hex(of: model)
            try await store.putModel(ModelInfo(sha256: modelSHA, name: "bench-scheduler-noop", bytes: model.count), content: model)
            let artifact = Data("no-op artifact \(modelSHA)".utf8)
            let artifactSHA = Digest.sha256Hex(of: artifact)
            try await store.putArtifact(sha256: artifactSHA, model: modelSHA, target: target, compilerVersion: "bench", content: artifact)
            let benchmark = UUID()
            try await store.createBenchmark(id: benchmark.uuidString, model: modelSHA, targets: "all", spec: .quick, jobs: [])
            let targetJSON = String(decoding: CanonicalJSON.encode(target), as: UTF8.self)
            try await store.client.query("""
                INSERT INTO jobs (id, benchmark_id, artifact_sha256, target_signature, target, created_at)
                SELECT gen_random_uuid(), \(benchmark), \(artifactSHA), \(target.signature), \(targetJSON)::jsonb,
                       now() + make_interval(secs => g * 0.000001)
                FROM generate_series(1, \(count)) AS g
                """, logger: logger)
            // Vacuumed as well as analyzed: a queue built up over time has been
            // vacuumed all along, while a freshly bulk-loaded one draws an
            // insert-triggered vacuum of every page, which would land in the
            // measurement window as a stall no steady farm has.
            try await store.client.query("VACUUM (ANALYZE) jobs", logger: logger)
        }
    }
}
