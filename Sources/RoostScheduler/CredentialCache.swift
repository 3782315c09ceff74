import Foundation
import RoostCore

/// Agents recently authenticated, by credential hash. Without it every lease
/// and every result upload pays a query (and a JSON decode of the hardware
/// profile) just to learn who is asking. An entry lives `ttl` seconds, so an
/// agent that re-enrolls (a new credential) stops being served under the old
/// one within that time; state checks that matter (active, lease token) are
/// made by the SQL statements themselves, never from here.
final class CredentialCache: Sendable {
    private let ttl: Duration
    private let capacity: Int
    private let entries = LockedBox<[String: Entry]>([:])

    /// An agent as the lease path needs it: the target signatures are hashes
    /// of canonical JSON, worth computing once per entry rather than per poll.
    struct Entry: Sendable {
        var agent: AgentInfo
        var targetSignatures: [String]
        var expires: ContinuousClock.Instant
    }

    init(ttl: Duration = .seconds(5), capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func agent(for hash: String) -> Entry? {
        let now = ContinuousClock.now
        return entries.update { entries in
            guard let hit = entries[hash] else { return nil }
            if hit.expires > now { return hit }
            entries[hash] = nil
            return nil
        }
    }

    func forget(_ hash: String) {
        entries.update { $0[hash] = nil }
    }

    /// Everything: an agent was revoked and its credential's hash is not known
    /// here (the database no longer has it), so no entry may outlive that.
    func forgetAll() {
        entries.update { $0.removeAll(keepingCapacity: true) }
    }

    @discardableResult
    func remember(_ agent: AgentInfo, for hash: String) -> Entry {
        let entry = Entry(agent: agent, targetSignatures: agent.hardware.targets.map(\.signature), expires: ContinuousClock.now + ttl)
        entries.update { entries in
            // Bounded: a flood of distinct credentials clears the cache rather than growing it.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = entry
        }
        return entry
    }
}
