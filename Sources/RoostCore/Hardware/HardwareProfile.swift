import Foundation

/// What an agent knows about the machine it runs on, as probed from /proc, /sys and
/// vendor tools. It is stored as JSON with the agent and drives target selection
/// and compilation, so every field is something the compiler or report can use.
public struct HardwareProfile: Codable, Sendable, Equatable {
    /// Kernel architecture name (`uname -m`): x86_64, aarch64, armv7l, riscv64.
    public var arch: String
    public var cpuVendor: String?
    public var cpuModel: String
    /// Normalized, sorted ISA feature names (lower case, e.g. `avx2`, `avx512f`, `asimd`, `sve`).
    public var isaFeatures: [String]
    /// Online logical CPUs on the machine.
    public var logicalCPUs: Int
    /// CPU ids this process may run on (sched affinity); empty when unknown.
    public var usableCPUIDs: [Int]
    /// CPU quota from the cgroup (`cpu.max`), in CPUs; nil when unlimited or unknown.
    public var cgroupCPULimit: Double?
    public var caches: [CPUCache]
    public var memoryBytes: UInt64
    /// Board name from the device tree (Raspberry Pi, Jetson), when there is one.
    public var board: String?
    public var gpus: [GPUDevice]
    public var os: String
    public var kernel: String
    /// Stable identity of the physical (or virtual) host; agents on one host share it.
    public var machineID: String
    /// Inference engines available on this agent, e.g. `native`.
    public var engines: [String]
    /// Version of each advertised engine (`openvino` → `2026.4.1`), as the
    /// agent's discovery read it; nil from agents that predate it.
    public var engineVersions: [String: String]?

    public init(
        arch: String, cpuVendor: String? = nil, cpuModel: String, isaFeatures: [String],
        logicalCPUs: Int, usableCPUIDs: [Int] = [], cgroupCPULimit: Double? = nil,
        caches: [CPUCache] = [], memoryBytes: UInt64 = 0, board: String? = nil,
        gpus: [GPUDevice] = [], os: String = "", kernel: String = "", machineID: String = "",
        engines: [String] = ["native"]
    ) {
        self.arch = arch
        self.cpuVendor = cpuVendor
        self.cpuModel = cpuModel
        self.isaFeatures = isaFeatures
        self.logicalCPUs = logicalCPUs
        self.usableCPUIDs = usableCPUIDs
        self.cgroupCPULimit = cgroupCPULimit
        self.caches = caches
        self.memoryBytes = memoryBytes
        self.board = board
        self.gpus = gpus
        self.os = os
        self.kernel = kernel
        self.machineID = machineID
        self.engines = engines
    }

    /// CPUs a benchmark on this agent can actually use: affinity, then the cgroup quota.
    public var effectiveCPUs: Int {
        var n = usableCPUIDs.isEmpty ? logicalCPUs : usableCPUIDs.count
        // Clamped before converting: a profile from the wire may say 1e308 (Int(_:) would trap).
        if let limit = cgroupCPULimit, limit.isFinite, limit > 0 { n = min(n, max(1, Int(min(limit, Double(n)).rounded(.down)))) }
        return max(1, n)
    }

    public func hasFeature(_ name: String) -> Bool { isaFeatures.contains(name.lowercased()) }

    /// One target per engine this agent offers; the agent leases jobs for any of them.
    public var targets: [TargetSpec] { engines.map { TargetSpec(hardware: self, engine: $0) } }

    /// Memory of the largest GPU, in bytes: what one model can use (`gpu.memory>=40GiB`).
    public var largestGPUMemoryBytes: UInt64? {
        gpus.compactMap(\.memoryMiB).max().map { UInt64($0) * 1_048_576 }
    }

    /// One line for tables: "AMD EPYC 7B13 · x86_64 avx2 · 2 CPUs · 23.4 GiB".
    public var summary: String {
        let gib = Double(memoryBytes) / 1_073_741_824
        var parts = ["\(cpuModel)", "\(arch) \(IsaLevel(profile: self).rawValue)", "\(effectiveCPUs) CPU\(effectiveCPUs == 1 ? "" : "s")"]
        if memoryBytes > 0 { parts.append(String(format: "%.1f GiB", gib)) }
        if let board { parts.insert(board, at: 0) }
        if !gpus.isEmpty { parts.append(gpus.map(\.name).joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }
}

/// One level of the CPU cache hierarchy as seen by CPU 0.
public struct CPUCache: Codable, Sendable, Equatable {
    public var level: Int
    /// `Data`, `Instruction` or `Unified`.
    public var type: String
    public var sizeBytes: Int
    public init(level: Int, type: String, sizeBytes: Int) {
        self.level = level
        self.type = type
        self.sizeBytes = sizeBytes
    }
}

/// An accelerator found on the host (today: NVIDIA GPUs via nvidia-smi).
public struct GPUDevice: Codable, Sendable, Equatable {
    public var name: String
    public var memoryMiB: Int?
    public var driverVersion: String?
    public var cudaVersion: String?
    /// Today every probed GPU is NVIDIA's (nvidia-smi, tegrastats), so the vendor
    /// is not stored; a probe for another vendor makes this a field.
    public var vendor: String { "nvidia" }
    public init(name: String, memoryMiB: Int? = nil, driverVersion: String? = nil, cudaVersion: String? = nil) {
        self.name = name
        self.memoryMiB = memoryMiB
        self.driverVersion = driverVersion
        self.cudaVersion = cudaVersion
    }
}
