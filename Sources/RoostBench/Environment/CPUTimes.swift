import Foundation

/// Busy time per CPU (/proc/stat) and of this process (/proc/self/stat), in clock
/// ticks: the difference over a run tells how much of the benchmark's CPUs other
/// processes used.
public struct CPUTimes: Sendable, Equatable {
    /// CPU id → busy ticks (user + nice + system + irq + softirq + steal).
    public var busy: [Int: UInt64]
    /// CPU id → total ticks including idle and iowait.
    public var total: [Int: UInt64]
    /// This process's user + system ticks (all threads, waited-for children excluded).
    public var processTicks: UInt64

    /// Reads the machine's per-CPU times and the CPU time of this process plus `helpers`.
    public static func read(procRoot: String = "/proc", helpers: [Int32] = []) -> CPUTimes? {
        guard let stat = try? String(contentsOfFile: "\(procRoot)/stat", encoding: .utf8),
              let mine = try? String(contentsOfFile: "\(procRoot)/self/stat", encoding: .utf8),
              var times = parse(stat: stat, selfStat: mine) else { return nil }
        for pid in helpers {
            if let s = try? String(contentsOfFile: "\(procRoot)/\(pid)/stat", encoding: .utf8), let t = parse(stat: "", selfStat: s) {
                times.processTicks += t.processTicks
            }
        }
        return times
    }

    public static func parse(stat: String, selfStat: String) -> CPUTimes? {
        var busy: [Int: UInt64] = [:], total: [Int: UInt64] = [:]
        for line in stat.split(separator: "\n") where line.hasPrefix("cpu") && !line.hasPrefix("cpu ") {
            let f = line.split(separator: " ")
            guard let id = Int(f[0].dropFirst(3)), f.count >= 8 else { continue }
            let v = f.dropFirst().compactMap { UInt64($0) }
            guard v.count >= 7 else { continue }
            // user nice system idle iowait irq softirq steal …
            busy[id] = v[0] + v[1] + v[2] + v[5] + v[6] + (v.count > 7 ? v[7] : 0)
            total[id] = v.prefix(8).reduce(0, +)
        }
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        guard let close = selfStat.lastIndex(of: ")") else { return nil }
        let rest = selfStat[selfStat.index(after: close)...].split(separator: " ")
        guard rest.count > 13, let utime = UInt64(rest[11]), let stime = UInt64(rest[12]) else { return nil }
        return CPUTimes(busy: busy, total: total, processTicks: utime + stime)
    }

    /// Fraction of `cpus`' capacity between `start` and `end` used by other processes.
    public static func otherFraction(from start: CPUTimes, to end: CPUTimes, cpus: [Int]) -> Double? {
        var busy: UInt64 = 0, total: UInt64 = 0
        for c in cpus {
            guard let b0 = start.busy[c], let b1 = end.busy[c], let t0 = start.total[c], let t1 = end.total[c] else { continue }
            busy += b1 &- b0
            total += t1 &- t0
        }
        guard total > 0 else { return nil }
        let mine = end.processTicks &- start.processTicks
        let others = busy > mine ? busy - mine : 0
        return Double(others) / Double(total)
    }
}
