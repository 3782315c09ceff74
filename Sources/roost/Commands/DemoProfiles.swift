import Foundation
import RoostCore

/// The demo's two agents. `Agents/demo-*.json` in the repository are the same
/// profiles; they are built in here so the demo runs from any directory.
struct DemoProfile {
    var name: String
    var profile: AgentProfile

    /// Prefers the repository's `Agents/NAME.json`; else writes the built-in one under `$ROOST_HOME/profiles`.
    func materialize(home: RoostHome) throws -> URL {
        let repo = URL(fileURLWithPath: "Agents/\(name).json")
        if FileManager.default.fileExists(atPath: repo.path) { return repo }
        let file = home.path("profiles", "\(name).json")
        try home.ensure(file.deletingLastPathComponent())
        try Data(CanonicalJSON.pretty(profile).utf8).write(to: file)
        return file
    }
}

enum DemoProfiles {
    static let all = [
        DemoProfile(name: "demo-1cpu", profile: AgentProfile(
            description: "Demo agent pinned to one CPU by affinity: a small instance", tags: ["demo": "true", "size": "small"],
            pricePerHour: 0.05, cpus: 1)),
        DemoProfile(name: "demo-2cpu", profile: AgentProfile(
            description: "Demo agent using two CPUs: a larger instance", tags: ["demo": "true", "size": "large"],
            pricePerHour: 0.10, cpus: 2)),
    ]
}
