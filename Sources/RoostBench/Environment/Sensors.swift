import Foundation

/// Point readings of the machine's state from sysfs and procfs. Each returns nil
/// when the sensor does not exist (common in VMs) — missing, not guessed.
public struct Sensors: Sendable {
    public var sysRoot: String
    public var procRoot: String
    public init(sysRoot: String = "/sys", procRoot: String = "/proc") {
        self.sysRoot = sysRoot
        self.procRoot = procRoot
    }

    func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func governor(cpu: Int) -> String? { read("\(sysRoot)/devices/system/cpu/cpu\(cpu)/cpufreq/scaling_governor") }

    /// Current frequency in MHz (cpufreq reports kHz).
    public func frequencyMHz(cpu: Int) -> Double? {
        read("\(sysRoot)/devices/system/cpu/cpu\(cpu)/cpufreq/scaling_cur_freq").flatMap(Double.init).map { $0 / 1000 }
    }

    /// The hottest reading (°C) over thermal zones and hwmon temperature inputs.
    public func maxTemperatureC() -> Double? {
        var readings: [Double] = []
        let fm = FileManager.default
        let zones = (try? fm.contentsOfDirectory(atPath: "\(sysRoot)/class/thermal")) ?? []
        for z in zones where z.hasPrefix("thermal_zone") {
            if let t = read("\(sysRoot)/class/thermal/\(z)/temp").flatMap(Double.init) { readings.append(t / 1000) }
        }
        let hwmons = (try? fm.contentsOfDirectory(atPath: "\(sysRoot)/class/hwmon")) ?? []
        for h in hwmons {
            let files = (try? fm.contentsOfDirectory(atPath: "\(sysRoot)/class/hwmon/\(h)")) ?? []
            for f in files where f.hasPrefix("temp") && f.hasSuffix("_input") {
                if let t = read("\(sysRoot)/class/hwmon/\(h)/\(f)").flatMap(Double.init) { readings.append(t / 1000) }
            }
        }
        return readings.filter { $0 > -50 && $0 < 150 }.max()
    }

    /// Sum of the kernel's thermal throttle counters for these CPUs (x86 only).
    public func throttleCount(cpus: [Int]) -> Int? {
        var total: Int?
        for c in cpus {
            for kind in ["core_throttle_count", "package_throttle_count"] {
                if let n = read("\(sysRoot)/devices/system/cpu/cpu\(c)/thermal_throttle/\(kind)").flatMap(Int.init) { total = (total ?? 0) + n }
            }
        }
        return total
    }

    public func memAvailableBytes() -> UInt64? {
        guard let m = read("\(procRoot)/meminfo") else { return nil }
        for line in m.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            return line.split(separator: " ").compactMap { UInt64($0) }.first.map { $0 * 1024 }
        }
        return nil
    }
}
