import Foundation
import RoostCore
import RoostProbe
import Testing

/// Probes the machine running the tests; only checks what every Linux host has.
@Suite struct LiveProbeTests {
    @Test func probesThisMachine() {
        let p = HardwareProbe().probe()
        #expect(p.logicalCPUs >= 1)
        #expect(!p.usableCPUIDs.isEmpty)
        #expect(p.memoryBytes > 0)
        #expect(!p.machineID.isEmpty)
        #expect(!p.kernel.isEmpty)
        #expect(p.cpuModel != "unknown")
        #expect(p.effectiveCPUs >= 1)
        #expect(p.engines == ["native"])
        #if arch(x86_64)
        #expect(p.arch == "x86_64")
        #elseif arch(arm64)
        #expect(p.arch == "aarch64")
        #endif
        #expect(p.usableCPUIDs.count <= ProcessInfo.processInfo.processorCount
            || p.usableCPUIDs.count <= p.logicalCPUs)
    }

    @Test func affinityMatchesProcStatus() throws {
        let ids = CPUAffinity.current()
        #expect(!ids.isEmpty)
        let status = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        let listed = CPUListParser.parse(String(line.dropFirst("Cpus_allowed_list:".count)))
        #expect(ids == listed)
    }

    @Test func restrictValidatesAndKeepsCurrentMask() throws {
        #expect(throws: CPUAffinity.Error.empty) { try CPUAffinity.restrict(to: []) }
        #expect(throws: CPUAffinity.Error.outOfRange(CPUAffinity.setSize)) {
            try CPUAffinity.restrict(to: [CPUAffinity.setSize])
        }
        #expect(throws: CPUAffinity.Error.outOfRange(-1)) { try CPUAffinity.restrict(to: [-1]) }
        // Re-applying the current mask is a no-op for the rest of the test process.
        let before = CPUAffinity.current()
        try CPUAffinity.restrict(to: before)
        #expect(CPUAffinity.current() == before)
    }

    @Test func liveSourceAnswersNativelyAndSkipsMissingTools() {
        let source = LiveSource(commandTimeout: 5)
        #expect(source.run(.unameMachine)?.isEmpty == false)
        #expect(source.run(.unameRelease)?.isEmpty == false)
        #expect(source.run(.hostname)?.isEmpty == false)
        #expect(source.run(.tegrastats) == nil)  // streams forever; never run live
        #expect(source.read("/proc/cpuinfo")?.contains("processor") == true)
        #expect(source.read("/nonexistent/file") == nil)
        if ProcessRunner.which("nvidia-smi") == nil {
            #expect(source.run(.nvidiaSMIQueryGPU) == nil)
            #expect(HardwareProbe(source: source).probe().gpus.isEmpty)
        }
    }
}
