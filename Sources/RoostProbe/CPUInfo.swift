/// What `/proc/cpuinfo` says, reduced to the fields a `HardwareProfile` needs.
///
/// Kept separate from the profile because cpuinfo alone cannot fill it (memory,
/// caches and GPUs come from elsewhere) and because its answers are sometimes only
/// guesses (the architecture, for a recording) that better sources override.
public struct CPUInfo: Sendable, Equatable {
    /// Architecture inferred from the content (`x86_64`, `aarch64`, `armv7l`, `riscv64`).
    public var arch: String?
    /// `GenuineIntel` / `AuthenticAMD`, the Arm implementer's name, or the RISC-V vendor.
    public var vendor: String?
    /// Human-readable CPU model; for mixed Arm cores, e.g. `4x Cortex-A55 + 4x Cortex-A76`.
    public var model: String?
    /// ISA features every listed CPU has, lower case, sorted, unique.
    public var features: [String]
    /// Number of `processor` entries.
    public var processorCount: Int
    /// Board name from a `Model` line (Raspberry Pi kernels print one).
    public var board: String?
    /// SoC name from a `Hardware` line (`BCM2835`, `jetson_tx1`).
    public var hardware: String?
    /// Arm core names in CPU order (empty off Arm); lets callers spot NVIDIA Tegra cores.
    public var armCores: [String]

    public init(
        arch: String? = nil, vendor: String? = nil, model: String? = nil, features: [String] = [],
        processorCount: Int = 0, board: String? = nil, hardware: String? = nil, armCores: [String] = []
    ) {
        self.arch = arch
        self.vendor = vendor
        self.model = model
        self.features = features
        self.processorCount = processorCount
        self.board = board
        self.hardware = hardware
        self.armCores = armCores
    }
}
