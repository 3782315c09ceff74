import ArgumentParser
import Foundation
import RoostCore
import RoostProbe

/// `roost agent probe`: what the agent would report about this machine.
public struct AgentProbeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "probe", abstract: "Show what the agent would report about this machine.")

    @Flag(help: "Print the hardware profile as JSON (usable as a compile --target).") var json = false
    @Option(help: "Apply an agent profile's CPU limits first (Agents/FILE.json).") var profile: String?

    public init() {}

    public func run() async throws {
        try runReportingErrors {
            if let profile { try AgentSetup.applyCPULimits(try AgentProfile.load(from: URL(fileURLWithPath: profile))) }
            let hw = HardwareProbe().probe()
            if json { print(CanonicalJSON.pretty(hw)); return }
            let target = TargetSpec(hardware: hw)
            print("""
                cpu:       \(hw.cpuModel) (\(hw.cpuVendor ?? "unknown vendor"))
                arch:      \(hw.arch)  isa: \(target.isa.rawValue)
                cpus:      \(hw.effectiveCPUs) usable of \(hw.logicalCPUs) (affinity \(hw.usableCPUIDs.map(String.init).joined(separator: ",")))\(hw.cgroupCPULimit.map { ", cgroup limit \($0)" } ?? "")
                caches:    \(hw.caches.map { "L\($0.level) \($0.type) \($0.sizeBytes / 1024) KiB" }.joined(separator: ", "))
                memory:    \(String(format: "%.1f GiB", Double(hw.memoryBytes) / 1_073_741_824))
                board:     \(hw.board ?? "-")
                gpus:      \(hw.gpus.isEmpty ? "-" : hw.gpus.map(\.name).joined(separator: ", "))
                os:        \(hw.os)  kernel \(hw.kernel)
                engines:   \(hw.engines.joined(separator: ", "))
                target:    \(target.label)  signature \(target.signature)
                """)
        }
    }
}
