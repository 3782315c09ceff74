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
    private let entries = LockedBox<[String: (agent: AgentInfo, expires: ContinuousClock.Instant)]>([:])

    init(ttl: Duration = .seconds(5), capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func agent(for hash: String) -> AgentInfo? {
        let now = ContinuousClock.now
        return entries.update { entries in
            guard let hit = entries[hash] else { return nil }
            if hit.expires > now { return hit.agent }
            entries[hash] = nil
            return nil
        }
    }

    func forget(_ hash: String) {
        entries.update { $0[hash] = nil }
    }

    func remember(_ agent: AgentInfo, for hash: String) {
        let expires = ContinuousClock.now + ttl
        entries.update { entries in
            // Bounded: a flood of distinct credentials clears the cache rather than growing it.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = (agent, expires)
        }
    }
}
