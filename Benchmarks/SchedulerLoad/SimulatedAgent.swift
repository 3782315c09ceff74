import Foundation
import RoostCore

/// One enrolled agent that does no work: lease (long-poll) → submit a tiny
/// result at once → repeat until `end`. Only exchanges that finish inside the
/// measurement window (after warm-up) are recorded.
struct SimulatedAgent: Sendable {
    let name: String
    let credential: String
    let host: String
    let port: Int
    let waitSeconds: Double
    /// Time "spent" on each no-op job between lease and result.
    let jobMs: Double

    struct Tally: Sendable {
        var leaseMs: [Double] = []
        var resultMs: [Double] = []
        var emptyPolls = 0
        var errors = 0
        var errorMessages: [String] = []

        mutating func fail(_ message: String) {
            errors += 1
            if errorMessages.count < 3 { errorMessages.append(message) }
        }
    }

    /// What the scheduler's lease reply must carry for the result upload.
    private struct Lease: Decodable {
        var jobID: String
        var leaseToken: String
    }

    func run(resultBody: ResultBody, measureFrom start: ContinuousClock.Instant, until end: ContinuousClock.Instant) async -> Tally {
        var tally = Tally()
        let leaseBody = try! RoostJSON.encoder().encode(LeaseRequest(waitSeconds: waitSeconds))
        let clock = ContinuousClock()
        // A dropped connection is counted and replaced, as an agent would reconnect.
        while clock.now < end && !Task.isCancelled {
            do {
                try await AgentConnection.with(host: host, port: port) { connection in
                    while clock.now < end && !Task.isCancelled {
                        try await cycle(&connection, leaseBody: leaseBody, resultBody: resultBody, start: start, end: end, tally: &tally)
                    }
                }
            } catch {
                if clock.now >= start { tally.fail("connection: \(error)") }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return tally
    }

    /// One lease (long-poll) and, when a job came, its result.
    private func cycle(_ connection: inout AgentConnection.Exchange, leaseBody: Data, resultBody: ResultBody,
                       start: ContinuousClock.Instant, end: ContinuousClock.Instant, tally: inout Tally) async throws {
        let clock = ContinuousClock()
        let sent = clock.now
        let reply = try await connection.send(.POST, "/v1/jobs/lease", credential: credential, body: leaseBody)
        let done = clock.now
        if reply.status == 204 {
            if done >= start && done <= end { tally.emptyPolls += 1 }
            return
        }
        guard reply.status == 200 else {
            if done >= start { tally.fail("lease: HTTP \(reply.status) \(String(decoding: reply.body.prefix(200), as: UTF8.self))") }
            try await Task.sleep(for: .milliseconds(100))
            return
        }
        let lease: Lease
        do { lease = try RoostJSON.decoder().decode(Lease.self, from: reply.body) } catch {
            tally.fail("lease: undecodable reply \(error)")
            return
        }
        if done >= start && done <= end { tally.leaseMs.append(Self.ms(done - sent)) }
        // Uniform ±50 %: identical job times would keep the agents in lockstep,
        // arriving in bursts of hundreds, which no real farm does.
        if jobMs > 0 { try await Task.sleep(for: .microseconds(Int(jobMs * Double.random(in: 0.5...1.5) * 1000))) }
        let submitted = clock.now
        let result = try await connection.send(.POST, "/v1/jobs/\(lease.jobID)/result", credential: credential, body: resultBody.data(leaseToken: lease.leaseToken))
        let finished = clock.now
        if result.status != 200 {
            if finished >= start { tally.fail("result: HTTP \(result.status) \(String(decoding: result.body.prefix(200), as: UTF8.self))") }
        } else if finished >= start && finished <= end {
            tally.resultMs.append(Self.ms(finished - submitted))
        }
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15
    }
}

/// A tiny valid result, encoded once; each upload only splices in its lease token.
struct ResultBody: Sendable {
    private let prefix: Data
    private let suffix: Data
    private static let marker = "LEASE-TOKEN-MARKER"

    init() throws {
        let result = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                     samplesMs: [1, 2, 3], environment: RunEnvironment())
        let text = String(decoding: try RoostJSON.encoder().encode(ResultUpload(leaseToken: Self.marker, result: result)), as: UTF8.self)
        guard let range = text.range(of: Self.marker) else { throw RoostError.io("cannot build the result body") }
        prefix = Data(text[..<range.lowerBound].utf8)
        suffix = Data(text[range.upperBound...].utf8)
    }

    func data(leaseToken: String) -> Data { prefix + Data(leaseToken.utf8) + suffix }
}
