import Foundation
import RoostCore

/// One reading of one GPU, parsed from `nvidia-smi --query-gpu=… --format=csv`
/// by column name (so the full recorded query and the sampler's short one both
/// parse). Fields the driver reports as `[N/A]` stay nil.
public struct GPUSample: Sendable, Equatable {
    public var name: String?
    public var smClockMHz: Double?
    public var memoryClockMHz: Double?
    public var powerW: Double?
    public var temperatureC: Double?
    public var utilizationPercent: Double?
    public var memoryUsedMiB: Double?
    /// Active throttle ("clocks event") reasons, NVML's names without the prefix.
    public var throttleReasons: [String] = []

    /// NVML's clocks-event reason bits (`nvmlClocksEventReason…`), as nvidia-smi prints `clocks_event_reasons.active`.
    static let reasonBits: [(UInt64, String)] = [
        (0x1, "gpu_idle"), (0x2, "applications_clocks_setting"), (0x4, "sw_power_cap"), (0x8, "hw_slowdown"),
        (0x10, "sync_boost"), (0x20, "sw_thermal_slowdown"), (0x40, "hw_thermal_slowdown"), (0x80, "hw_power_brake_slowdown"),
        (0x100, "display_clock_setting"),
    ]

    /// Every data row of a CSV with its header; rows that do not have the header's column count are skipped.
    public static func parseCSV(_ text: String) -> [GPUSample] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first.map(columns), header.contains(where: { $0.hasPrefix("name") || $0.hasPrefix("clocks") || $0.hasPrefix("power") }) else { return [] }
        let keys = header.map { $0.split(separator: " ").first.map(String.init) ?? $0 }
        return lines.dropFirst().compactMap { line in
            let values = columns(line)
            guard values.count == keys.count else { return nil }
            return GPUSample(Dictionary(zip(keys, values), uniquingKeysWith: { first, _ in first }))
        }
    }

    init(_ row: [String: String]) {
        func number(_ key: String) -> Double? {
            guard let v = row[key], let token = v.split(separator: " ").first else { return nil }
            return Double(token)
        }
        name = row["name"].flatMap { $0.hasPrefix("[") ? nil : $0 }
        smClockMHz = number("clocks.current.sm") ?? number("clocks.sm")
        memoryClockMHz = number("clocks.current.memory") ?? number("clocks.mem")
        powerW = number("power.draw") ?? number("power.draw.instant")
        temperatureC = number("temperature.gpu")
        utilizationPercent = number("utilization.gpu")
        memoryUsedMiB = number("memory.used")
        var reasons = Set<String>()
        for prefix in ["clocks_event_reasons.", "clocks_throttle_reasons."] {
            if let active = row[prefix + "active"], active.hasPrefix("0x"), let bits = UInt64(active.dropFirst(2), radix: 16) {
                for (bit, reason) in Self.reasonBits where bits & bit != 0 { reasons.insert(reason) }
            }
            for (_, reason) in Self.reasonBits where row[prefix + reason] == "Active" { reasons.insert(reason) }
        }
        throttleReasons = reasons.sorted()
    }

    private static func columns(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Summaries over a run's samples, and energy from power integrated over
    /// their timestamps (trapezoids; seconds since the run's start).
    public static func summarize(_ samples: [(seconds: Double, sample: GPUSample)]) -> GPUTelemetry {
        func summary(_ path: KeyPath<GPUSample, Double?>) -> SensorSummary? { SensorSummary(samples.compactMap { $0.sample[keyPath: path] }) }
        return GPUTelemetry(name: samples.lazy.compactMap(\.sample.name).first, smClockMHz: summary(\.smClockMHz), memoryClockMHz: summary(\.memoryClockMHz),
                            powerW: summary(\.powerW), temperatureC: summary(\.temperatureC), utilizationPercent: summary(\.utilizationPercent),
                            memoryUsedMiB: summary(\.memoryUsedMiB), throttleReasons: Set(samples.flatMap(\.sample.throttleReasons)).sorted())
    }

    /// Joules from power samples (trapezoid rule); nil with fewer than two power readings.
    public static func energyJoules(_ samples: [(seconds: Double, sample: GPUSample)]) -> Double? {
        let points = samples.compactMap { s in s.sample.powerW.map { (s.seconds, $0) } }
        guard points.count >= 2 else { return nil }
        return zip(points, points.dropFirst()).reduce(0) { sum, pair in sum + (pair.1.0 - pair.0.0) * (pair.0.1 + pair.1.1) / 2 }
    }
}
