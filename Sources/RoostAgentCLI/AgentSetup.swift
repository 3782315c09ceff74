import ArgumentParser
import Foundation
import RoostCore
import RoostProbe

/// Shared steps of `enroll` and `run`.
enum AgentSetup {
    /// Restricts this process (and so its workers) to the profile's CPUs.
    static func applyCPULimits(_ profile: AgentProfile?) throws {
        guard let profile else { return }
        if let list = profile.cpuList {
            try CPUAffinity.restrict(to: list)
        } else if let n = profile.cpus {
            guard n > 0 else { throw RoostError.invalidArgument("profile cpus must be positive") }
            let allowed = CPUAffinity.current()
            guard allowed.count >= n else {
                throw RoostError.invalidArgument("profile asks for \(n) CPUs but only \(allowed.count) are available")
            }
            try CPUAffinity.restrict(to: Array(allowed.prefix(n)))
        }
    }

    /// Moves this process's own threads (heartbeats, polls, HTTP) off the
    /// benchmark CPUs onto the rest of what it was allowed at start, and returns
    /// the benchmark CPUs for its workers to pin themselves to. Nil, and nothing
    /// moved, when no CPU is left over (the agent then shares the benchmark CPUs,
    /// and its CPU time is in each result's `agentCPUSeconds`).
    static func moveOffBenchmarkCPUs(allowedAtStart: [Int]) -> [Int]? {
        let benchmark = CPUAffinity.current()
        let spare = allowedAtStart.filter { !benchmark.contains($0) }
        guard !benchmark.isEmpty, !spare.isEmpty else { return nil }
        do { try CPUAffinity.restrict(to: spare) } catch { return nil }
        return benchmark
    }

    static func parseTags(_ raw: [String]) throws -> [String: String] {
        var tags: [String: String] = [:]
        for t in raw {
            let kv = t.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else { throw RoostError.invalidArgument("tag '\(t)' must be KEY=VALUE") }
            tags[kv[0]] = kv[1]
        }
        return tags
    }
}

/// Prints a `RoostError` as a one-line message and exits 1, instead of a trace.
public func runReportingErrors(_ body: () async throws -> Void) async throws {
    do { try await body() } catch let error as RoostError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}

public func runReportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as RoostError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode.failure
    }
}
