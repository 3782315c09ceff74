import Foundation

/// Parses `/proc/cpuinfo` for x86, Arm (32 and 64 bit) and RISC-V kernels.
///
/// Each architecture prints a different dialect: x86 has `vendor_id`, `model name`
/// and `flags`; arm64 has only numeric `CPU implementer`/`CPU part` ids and
/// `Features`; 32-bit Arm adds a generic `model name` (or, on old kernels, a
/// `Processor` line and one shared `Features` block); RISC-V has `isa` and `uarch`.
public enum CPUInfoParser {
    public static func parse(_ text: String) -> CPUInfo {
        var info = CPUInfo()
        var featureSets: [Set<String>] = []
        var values: [String: String] = [:]  // first value of each key
        var implementer: Int?
        var cores: [(implementer: Int?, part: Int)] = []

        for (key, value) in KeyValueLines.parse(text) {
            guard let key else { continue }
            if values[key] == nil { values[key] = value }
            switch key {
            case "processor":
                info.processorCount += 1
            case "flags", "Features":
                featureSets.append(Set(value.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)))
            case "isa":
                featureSets.append(Set(RISCVISA.extensions(value)))
            case "CPU implementer":
                implementer = ARMCoreNames.code(value)
            case "CPU part":
                if let part = ARMCoreNames.code(value) { cores.append((implementer, part)) }
            default:
                break
            }
        }

        info.features = featureSets.first.map { first in
            featureSets.dropFirst().reduce(first) { $0.intersection($1) }.sorted()
        } ?? []
        info.board = nonEmpty(values["Model"])
        info.hardware = nonEmpty(values["Hardware"])
        let coreNames = cores.map { core in
            core.implementer.flatMap { ARMCoreNames.core(implementer: $0, part: core.part) }
        }
        info.armCores = zip(coreNames, cores).map { name, core in name ?? String(format: "Arm part 0x%03x", core.part) }
        info.arch = inferArch(values: values, features: Set(info.features))

        if let vendorID = nonEmpty(values["vendor_id"]) {
            info.vendor = vendorID
            info.model = nonEmpty(values["model name"])
        } else if let isa = values["isa"], RISCVISA.base(isa) != nil {
            (info.vendor, info.model) = riscv(values: values)
        } else {
            info.vendor = implementer.flatMap(ARMCoreNames.implementer)
            let known = coreNames.contains { $0 != nil }
            info.model = known ? summarize(info.armCores)
                : nonEmpty(values["model name"]) ?? nonEmpty(values["Processor"]) ?? info.hardware
                ?? info.armCores.first
        }
        return info
    }

    /// Architecture from content alone, for recordings without `uname -m`.
    static func inferArch(values: [String: String], features: Set<String>) -> String? {
        if let isa = values["isa"], let base = RISCVISA.base(isa) {
            return base == "rv32" ? "riscv32" : "riscv64"
        }
        if values["flags"] != nil || values["vendor_id"] != nil {
            return features.contains("lm") || features.isEmpty ? "x86_64" : "i686"
        }
        let modelName = (values["model name"] ?? values["Processor"] ?? "").lowercased()
        switch values["CPU architecture"]?.lowercased() {
        case "8", "aarch64": return "aarch64"
        case "7": return "armv7l"
        case let other? where other.hasPrefix("6"): return "armv6l"
        default: break
        }
        if features.contains("asimd") || modelName.contains("aarch64") { return "aarch64" }
        if features.contains("neon") || modelName.contains("v7l") { return "armv7l" }
        return nil
    }

    /// `sifive,u74-mc` → vendor `SiFive`, model `SiFive U74-MC`.
    private static func riscv(values: [String: String]) -> (vendor: String?, model: String?) {
        let vendorIDs: [Int: String] = [0x489: "SiFive", 0x5b7: "T-Head", 0x31e: "Andes"]
        let prettyVendors = ["sifive": "SiFive", "thead": "T-Head", "andestech": "Andes", "spacemit": "SpacemiT"]
        var vendor = values["mvendorid"].flatMap(ARMCoreNames.code).flatMap { vendorIDs[$0] }
        guard let uarch = nonEmpty(values["uarch"]) else {
            return (vendor, values["isa"].flatMap(RISCVISA.base).map { "RISC-V \($0)" })
        }
        let parts = uarch.split(separator: ",", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return (vendor, uarch) }
        let uarchVendor = prettyVendors[parts[0].lowercased()] ?? parts[0].capitalized
        vendor = vendor ?? uarchVendor
        return (vendor, "\(uarchVendor) \(parts[1].uppercased())")
    }

    /// One name for all cores: `Cortex-A72`, or `4x Cortex-A55 + 4x Cortex-A76` for big.LITTLE.
    private static func summarize(_ cores: [String]) -> String? {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for core in cores {
            if counts[core] == nil { order.append(core) }
            counts[core, default: 0] += 1
        }
        guard order.count > 1 else { return order.first }
        return order.map { "\(counts[$0] ?? 0)x \($0)" }.joined(separator: " + ")
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
