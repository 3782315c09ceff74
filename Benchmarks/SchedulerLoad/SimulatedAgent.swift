import Foundation
import RoostCore

/// One enrolled agent that does no work: lease (long-poll) → submit a tiny
/// result → repeat until `end`. As the real agent does, the result asks for the
/// next job in the same exchange (`ResultUpload.next`), so a busy agent makes one
/// request per job; with `separateResults` it uploads the result and asks for the
/// next lease in two requests, the protocol before. Only exchanges inside the
/// measurement window (after warm-up) are recorded: closed-loop ones that finish
/// in it, paced ones that were due in it.
///
/// Closed loop (no `pace`): the next lease is asked for as soon as the result
/// is in (after `jobMs`, if any). Paced: the agent's k-th lease is due at
/// `pace.due(k)`, and its latency counts from that due time, not from when it
/// was actually sent — an agent held up by a slow reply sends late, and the
/// lateness is part of the latency (no coordinated omission). With the result
/// riding on the next lease, the job "runs" until the next due time.
struct SimulatedAgent: Sendable {
    let name: String
    let credential: String
    let host: String
    let port: Int
    let waitSeconds: Double
    /// Time "spent" on each no-op job between lease and result (closed loop only).
    let jobMs: Double
    let pace: Pace?
    /// Upload each result on its own, then ask for the next lease (two requests per job).
    let separateResults: Bool

    /// A fixed schedule: one lease every `period`, starting `offset` after `origin`.
    struct Pace: Sendable {
        var origin: ContinuousClock.Instant
        var offset: Duration
        var period: Duration

        func due(_ k: Int) -> ContinuousClock.Instant { origin + offset + period * k }
    }

    struct Tally: Sendable {
        var leaseMs: [Double] = []
        /// When each of `leaseMs` was sent (or due), in seconds from the window's start.
        var leaseAt: [Double] = []
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

        init(jobID: String, leaseToken: String) { self.jobID = jobID; self.leaseToken = leaseToken }

        /// The job in a lease reply (200 with a `JobAssignment`) or a result
        /// reply (`ResultAccepted` with a `next`); nil for none (204, no `next`).
        init?(reply: AgentConnection.Reply) throws {
            guard reply.status == 200 else { return nil }
            if let quick = Lease(scanning: reply.body) {
                self = quick
                return
            }
            let decoder = RoostJSON.decoder()
            if let lease = try? decoder.decode(Lease.self, from: reply.body) {
                self = lease
            } else if let accepted = try? decoder.decode(ResultAccepted.self, from: reply.body) {
                guard let next = accepted.next else { return nil }
                self.init(jobID: next.jobID, leaseToken: next.leaseToken)
            } else {
                throw RoostError.io("undecodable reply: \(String(decoding: reply.body.prefix(200), as: UTF8.self))")
            }
        }

        /// The two fields found by a byte scan: both values are escape-free
        /// (a UUID and a base64url token), and a full `JSONDecoder` pass over
        /// the target and spec cost the load generator CPU the scheduler needs.
        /// nil when either is missing or escaped; the caller then decodes.
        init?(scanning body: Data) {
            func value(_ key: String) -> String? {
                let needle = Array("\"\(key)\":\"".utf8)
                return body.withUnsafeBytes { raw -> String? in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    guard bytes.count > needle.count else { return nil }
                    var i = 0
                    while i + needle.count <= bytes.count {
                        if bytes[i] == needle[0], needle.indices.allSatisfy({ bytes[i + $0] == needle[$0] }) {
                            let start = i + needle.count
                            var end = start
                            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                                if bytes[end] == UInt8(ascii: "\\") { return nil }
                                end += 1
                            }
                            return end < bytes.count ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) : nil
                        }
                        i += 1
                    }
                    return nil
                }
            }
            guard let job = value("jobID"), let token = value("leaseToken") else { return nil }
            self.init(jobID: job, leaseToken: token)
        }
    }

    func run(resultBody: ResultBody, measureFrom start: ContinuousClock.Instant, until end: ContinuousClock.Instant) async -> Tally {
        var tally = Tally()
        let leaseBody = try! RoostJSON.encoder().encode(LeaseRequest(waitSeconds: waitSeconds))
        let clock = ContinuousClock()
        var k = 0
        // The job whose result has not been sent yet (it goes with the next lease).
        var held: Lease?
        // A dropped connection is counted and replaced, as an agent would reconnect.
        while clock.now < end && !Task.isCancelled {
            do {
                try await AgentConnection.with(host: host, port: port) { connection in
                    while clock.now < end && !Task.isCancelled {
                        var due: ContinuousClock.Instant?
                        if let pace {
                            due = pace.due(k)
                            k += 1
                            if let due, due >= end { break }
                            if let due, due > clock.now { try await Task.sleep(until: due, clock: clock) }
                        }
                        try await cycle(&connection, held: &held, due: due, leaseBody: leaseBody, resultBody: resultBody,
                                        start: start, end: end, tally: &tally)
                    }
                    // The last job's result, on its own: the farm ends with nothing leased.
                    if let job = held {
                        held = nil
                        _ = try await connection.send(.POST, "/v1/jobs/\(job.jobID)/result", credential: credential,
                                                      body: resultBody.data(leaseToken: job.leaseToken, next: nil))
                    }
                }
            } catch {
                if clock.now >= start { tally.fail("connection: \(error)") }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return tally
    }

    /// One lease (long-poll) and, when a job came, its result — in one request
    /// when a job is `held` (its result carries the lease request), else two.
    /// A paced lease's latency counts from `due`.
    private func cycle(_ connection: inout AgentConnection.Exchange, held: inout Lease?, due: ContinuousClock.Instant?, leaseBody: Data,
                       resultBody: ResultBody, start: ContinuousClock.Instant, end: ContinuousClock.Instant, tally: inout Tally) async throws {
        let clock = ContinuousClock()
        let sent = due ?? clock.now
        let reply: AgentConnection.Reply
        if let job = held {
            held = nil
            reply = try await connection.send(.POST, "/v1/jobs/\(job.jobID)/result", credential: credential,
                                              body: resultBody.data(leaseToken: job.leaseToken, next: waitSeconds))
            guard reply.status == 200 else {
                if clock.now >= start { tally.fail("result: HTTP \(reply.status) \(String(decoding: reply.body.prefix(200), as: UTF8.self))") }
                try await Task.sleep(for: .milliseconds(100))
                return
            }
        } else {
            reply = try await connection.send(.POST, "/v1/jobs/lease", credential: credential, body: leaseBody)
            guard reply.status == 200 || reply.status == 204 else {
                if clock.now >= start { tally.fail("lease: HTTP \(reply.status) \(String(decoding: reply.body.prefix(200), as: UTF8.self))") }
                try await Task.sleep(for: .milliseconds(100))
                return
            }
        }
        let done = clock.now
        guard let lease = try Lease(reply: reply) else {
            if done >= start && done <= end { tally.emptyPolls += 1 }
            return
        }
        // Paced leases belong to the window they were due in; closed-loop ones to the one they finished in.
        let inWindow = due.map { $0 >= start && $0 < end } ?? (done >= start && done <= end)
        if inWindow {
            tally.leaseMs.append(Self.ms(done - sent))
            tally.leaseAt.append(Self.ms(sent - start) / 1000)
        }
        // Uniform ±50 %: identical job times would keep the agents in lockstep,
        // arriving in bursts of hundreds, which no real farm does.
        if jobMs > 0 && pace == nil { try await Task.sleep(for: .microseconds(Int(jobMs * Double.random(in: 0.5...1.5) * 1000))) }
        guard separateResults else {
            held = lease
            return
        }
        let submitted = clock.now
        let result = try await connection.send(.POST, "/v1/jobs/\(lease.jobID)/result", credential: credential,
                                               body: resultBody.data(leaseToken: lease.leaseToken, next: nil))
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

/// A tiny valid result, encoded once; each upload only splices in its lease
/// token and, when it asks for the next job, the lease request.
struct ResultBody: Sendable {
    private let prefix: Data
    private let suffix: Data
    private static let marker = "LEASE-TOKEN-MARKER"

    init() throws {
        let result = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                     samplesMs: [1, 2, 3], environment: RunEnvironment())
        let text = String(decoding: try RoostJSON.encoder().encode(ResultUpload(leaseToken: Self.marker, result: result)), as: UTF8.self)
        guard let range = text.range(of: Self.marker), text.hasSuffix("}") else { throw RoostError.io("cannot build the result body") }
        prefix = Data(text[..<range.lowerBound].utf8)
        suffix = Data(text[range.upperBound...].dropLast().utf8)
    }

    /// The upload; `next` (seconds of long-poll) asks for the next lease with it.
    func data(leaseToken: String, next: Double?) -> Data {
        var body = prefix + Data(leaseToken.utf8) + suffix
        if let next { body.append(contentsOf: Array(",\"next\":{\"waitSeconds\":\(next)}".utf8)) }
        body.append(UInt8(ascii: "}"))
        return body
    }
}
