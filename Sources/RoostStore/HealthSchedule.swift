/// When an agent runs its golden benchmark, and when job errors take it out of
/// service. The scheduler's flags fill it in; the defaults suit a real farm.
public struct HealthSchedule: Sendable, Equatable {
    /// A check is due this long after the last one…
    public var intervalSeconds: Double
    /// …or after this many results since it, whichever comes first.
    public var everyJobs: Int
    /// A `degraded` agent is rechecked this often, so it can come back.
    public var degradedRecheckSeconds: Double
    /// This many job errors in a row put an agent in `quarantined`.
    public var quarantineAfterErrors: Int

    public init(intervalSeconds: Double = 6 * 3600, everyJobs: Int = 50, degradedRecheckSeconds: Double = 900, quarantineAfterErrors: Int = 3) {
        self.intervalSeconds = intervalSeconds
        self.everyJobs = everyJobs
        self.degradedRecheckSeconds = degradedRecheckSeconds
        self.quarantineAfterErrors = quarantineAfterErrors
    }

    /// Why a check is due for an agent in `state` whose last check on its current
    /// target was `age` seconds ago (nil: never) with `jobs` results since; nil when
    /// none is. Only agents that could take work (`active`, `degraded`) are checked.
    public func dueReason(state: String, age: Double?, jobs: Int) -> String? {
        guard state == "active" || state == "degraded" else { return nil }
        guard let age else { return "first check on this target" }
        if state == "degraded", age >= degradedRecheckSeconds { return "recheck of a degraded agent" }
        if age >= intervalSeconds { return "\(Int(age / 60)) min since the last check" }
        if jobs >= everyJobs { return "\(jobs) jobs since the last check" }
        return nil
    }
}
