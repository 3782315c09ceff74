/// Names for Arm `CPU implementer` / `CPU part` codes.
///
/// arm64 kernels print no `model name`, only these numeric ids, yet benchmark reports
/// must say "Cortex-A72" or "Neoverse-N1". The spelling follows util-linux `lscpu`
/// so names match what operators see on the machine. Only common cores are listed.
public enum ARMCoreNames {
    /// Vendor for an implementer code (`0x41` → `ARM`).
    public static func implementer(_ code: Int) -> String? {
        implementers[code]
    }

    /// Core name for an implementer and part (`0x41`, `0xd08` → `Cortex-A72`).
    public static func core(implementer: Int, part: Int) -> String? {
        parts[implementer]?[part]
    }

    /// Parses the hex (`0xd08`) or decimal values cpuinfo prints.
    public static func code(_ text: String) -> Int? {
        let lower = text.lowercased()
        return lower.hasPrefix("0x") ? Int(lower.dropFirst(2), radix: 16) : Int(lower)
    }

    private static let implementers: [Int: String] = [
        0x41: "ARM", 0x42: "Broadcom", 0x43: "Cavium", 0x46: "Fujitsu", 0x48: "HiSilicon",
        0x4e: "NVIDIA", 0x50: "APM", 0x51: "Qualcomm", 0x53: "Samsung", 0x56: "Marvell",
        0x61: "Apple", 0x69: "Intel", 0x6d: "Microsoft", 0xc0: "Ampere",
    ]

    private static let parts: [Int: [Int: String]] = [
        0x41: [
            0xb76: "ARM1176", 0xc07: "Cortex-A7", 0xc08: "Cortex-A8", 0xc09: "Cortex-A9",
            0xc0d: "Cortex-A12", 0xc0e: "Cortex-A17", 0xc0f: "Cortex-A15",
            0xd03: "Cortex-A53", 0xd04: "Cortex-A35", 0xd05: "Cortex-A55", 0xd07: "Cortex-A57",
            0xd08: "Cortex-A72", 0xd09: "Cortex-A73", 0xd0a: "Cortex-A75", 0xd0b: "Cortex-A76",
            0xd0c: "Neoverse-N1", 0xd0d: "Cortex-A77", 0xd0e: "Cortex-A76AE",
            0xd40: "Neoverse-V1", 0xd41: "Cortex-A78", 0xd42: "Cortex-A78AE", 0xd44: "Cortex-X1",
            0xd46: "Cortex-A510", 0xd47: "Cortex-A710", 0xd48: "Cortex-X2", 0xd49: "Neoverse-N2",
            0xd4a: "Neoverse-E1", 0xd4b: "Cortex-A78C", 0xd4d: "Cortex-A715", 0xd4e: "Cortex-X3",
            0xd4f: "Neoverse-V2", 0xd80: "Cortex-A520", 0xd81: "Cortex-A720", 0xd82: "Cortex-X4",
            0xd84: "Neoverse-V3", 0xd8e: "Neoverse-N3",
        ],
        0x4e: [0x000: "Denver", 0x003: "Denver 2", 0x004: "Carmel"],
        0x51: [0x800: "Kryo 2XX Gold", 0x801: "Kryo 2XX Silver", 0x804: "Kryo 4XX Gold", 0x805: "Kryo 4XX Silver"],
        0x61: [0x022: "Icestorm", 0x023: "Firestorm"],
        0xc0: [0xac3: "Ampere-1", 0xac4: "Ampere-1a"],
    ]
}
