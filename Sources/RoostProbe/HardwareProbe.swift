import Foundation
import RoostCore

/// Fills a `HardwareProfile` from a `ProbeSource`: the live machine by default, or a
/// recorded fixture folder in tests.
///
/// Every step tolerates missing inputs (a container without /sys, a board without a
/// device tree, a host without nvidia-smi) because an agent that refuses to start on an
/// odd machine is worse than one that reports "unknown" for a field.
public struct HardwareProbe: Sendable {
    public let source: any ProbeSource

    public init(source: any ProbeSource = LiveSource()) {
        self.source = source
    }

    /// Parses a kernel CPU list (`0-3,5`); exposed for the agent's `--cpus` flag.
    public static func cpuList(_ s: String) -> [Int] {
        CPUListParser.parse(s)
    }

    public func probe() -> HardwareProfile {
        let cpuinfo = CPUInfoParser.parse(source.read("/proc/cpuinfo") ?? "")
        let tegrastats = source.run(.tegrastats).map(TegrastatsLine.init)
        // lscpu is only a fallback, so it is not run when cpuinfo and uname answer everything.
        let machine = source.run(.unameMachine).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let lscpu = machine == nil || cpuinfo.model == nil || cpuinfo.processorCount == 0 ? source.run(.lscpu) : nil

        let arch = nonEmpty(machine) ?? lscpu.flatMap(LSCPUParser.architecture) ?? cpuinfo.arch ?? "unknown"
        let online = source.read("/sys/devices/system/cpu/online").map(CPUListParser.parse) ?? []
        let logicalCPUs = [online.count, cpuinfo.processorCount, tegrastats?.cpuCount ?? 0,
                           lscpu.flatMap(LSCPUParser.cpuCount) ?? 0].first { $0 > 0 } ?? 1
        let board = deviceTreeModel() ?? cpuinfo.board

        var memoryBytes = source.read("/proc/meminfo").flatMap(MemInfoParser.totalBytes) ?? 0
        if memoryBytes == 0, let ramMiB = tegrastats?.ramTotalMiB { memoryBytes = UInt64(ramMiB) << 20 }

        var gpus = GPUProbe(source: source).probe()
        if gpus.isEmpty, let tegra = JetsonGPU.detect(
            board: board, hardware: cpuinfo.hardware, armCores: cpuinfo.armCores, tegrastats: tegrastats?.hasGPU ?? false
        ) {
            gpus = [tegra]
        }

        return HardwareProfile(
            arch: arch,
            cpuVendor: cpuinfo.vendor,
            cpuModel: cpuinfo.model ?? lscpu.flatMap(LSCPUParser.modelName) ?? "unknown",
            isaFeatures: cpuinfo.features,
            logicalCPUs: logicalCPUs,
            usableCPUIDs: source.affinity(),
            cgroupCPULimit: CgroupParser.cpuLimit(from: source),
            caches: CacheParser.caches(from: source),
            memoryBytes: memoryBytes,
            board: board,
            gpus: gpus,
            os: source.read("/etc/os-release").flatMap(OSReleaseParser.prettyName) ?? "",
            kernel: nonEmpty(source.run(.unameRelease)?.trimmingCharacters(in: .whitespacesAndNewlines)) ?? "",
            machineID: machineID(),
            engines: ["native"]
        )
    }

    /// Device-tree model; the kernel's copy ends in a NUL byte.
    private func deviceTreeModel() -> String? {
        let raw = source.read("/proc/device-tree/model") ?? source.read("/sys/firmware/devicetree/base/model")
        return nonEmpty(raw?.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(["\0"])))
    }

    /// systemd's machine id, shared by every agent on the host, else the host name:
    /// the key of the host lock, which a scheduler on the host takes too.
    public func machineID() -> String {
        for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
            if let id = nonEmpty(source.read(path)?.trimmingCharacters(in: .whitespacesAndNewlines)) { return id }
        }
        return nonEmpty(source.run(.hostname)?.trimmingCharacters(in: .whitespacesAndNewlines)) ?? ""
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
