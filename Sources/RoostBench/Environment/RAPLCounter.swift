import Foundation
import RoostCore

/// CPU package energy from RAPL under `/sys/class/powercap`: the top-level
/// `intel-rapl:N` zones (one per package; AMD's kernel driver uses the same
/// tree), read before and after the measured window. `energy_uj` wraps at
/// `max_energy_range_uj`, which the difference accounts for. Unreadable
/// counters (root-only since 2020 on many distributions, absent in most VMs)
/// give nil: "not measured".
public struct RAPLCounter: Sendable {
    public struct Reading: Sendable, Equatable {
        /// zone directory name → (energy µJ, wrap range µJ)
        public var zones: [String: (energy: UInt64, range: UInt64)]
        public static func == (a: Reading, b: Reading) -> Bool {
            a.zones.keys.sorted() == b.zones.keys.sorted() && a.zones.allSatisfy { k, v in b.zones[k]?.energy == v.energy && b.zones[k]?.range == v.range }
        }
    }

    public var root: String
    public init(root: String = "/sys/class/powercap") { self.root = root }

    /// Package zones (`intel-rapl:0`, not sub-zones like `intel-rapl:0:0`) whose counter is readable.
    public func read() -> Reading? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { $0.hasPrefix("intel-rapl:") && $0.split(separator: ":").count == 2 }.sorted()
        var zones: [String: (UInt64, UInt64)] = [:]
        for name in names {
            guard let e = value("\(root)/\(name)/energy_uj") else { continue }
            zones[name] = (e, value("\(root)/\(name)/max_energy_range_uj") ?? 0)
        }
        return zones.isEmpty ? nil : Reading(zones: zones)
    }

    /// Zone names for the result's `source` (`rapl:package-0+package-1`).
    public func source(_ reading: Reading) -> String {
        let names = reading.zones.keys.sorted().map { (try? String(contentsOfFile: "\(root)/\($0)/name", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? $0 }
        return "rapl:" + names.joined(separator: "+")
    }

    /// Joules between two readings, across a counter wrap; nil when the zones differ.
    public static func joules(from a: Reading, to b: Reading) -> Double? {
        guard Set(a.zones.keys) == Set(b.zones.keys) else { return nil }
        var total: Double = 0
        for (zone, start) in a.zones {
            guard let end = b.zones[zone] else { return nil }
            let delta = end.energy >= start.energy ? end.energy - start.energy
                : (start.range > 0 ? start.range - start.energy + end.energy : 0)
            total += Double(delta) / 1e6
        }
        return total
    }

    private func value(_ path: String) -> UInt64? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
