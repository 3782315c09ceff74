import RoostCore
import RoostProbe
import Testing

@Suite(.enabled(if: fixturesAvailable, "…/shared/probe-fixtures not present: probe fixture tests skipped"))
struct ARMFixtureTests {
    @Test func raspberryPi4() {
        let p = Fixtures.profile("raspberry-pi-4")
        #expect(p.arch == "aarch64")
        #expect(p.cpuVendor == "ARM")
        #expect(p.cpuModel == "Cortex-A72")
        #expect(p.logicalCPUs == 4)
        #expect(p.isaFeatures == ["asimd", "cpuid", "crc32", "evtstrm", "fp"])
        #expect(p.board == "Raspberry Pi 4 Model B Rev 1.1")  // cpuinfo `Model` line
        #expect(p.gpus.isEmpty)
        #expect(IsaLevel(profile: p) == .aarch64_neon)
        #expect(BLASCoreType.choose(for: p) == "ARMV8")
    }

    @Test func raspberryPi4ThirtyTwoBitKernel() {
        let p = Fixtures.profile("raspberry-pi-4-armv7l")
        #expect(p.arch == "armv7l")
        #expect(p.cpuModel == "Cortex-A72")
        #expect(p.logicalCPUs == 4)
        #expect(p.board == "Raspberry Pi 4 Model B Rev 1.1")
        #expect(p.hasFeature("neon") && p.hasFeature("vfpv4"))
        #expect(IsaLevel(profile: p) == .armv7_neon)
        #expect(BLASCoreType.choose(for: p) == nil)
    }

    @Test func raspberryPi5() {
        let p = Fixtures.profile("raspberry-pi-5")
        #expect(p.arch == "aarch64")
        #expect(p.cpuModel == "Cortex-A76")
        #expect(p.logicalCPUs == 4)
        #expect(p.board == "Raspberry Pi 5 Model B Rev 1.0")
        #expect(p.hasFeature("asimddp"))
    }

    @Test func graviton1() {
        let p = Fixtures.profile("graviton1")
        #expect(p.arch == "aarch64")
        #expect(p.cpuModel == "Cortex-A72")
        #expect(p.logicalCPUs == 1)  // from cpuinfo; lscpu.txt is another instance
    }

    @Test func graviton2() {
        let p = Fixtures.profile("graviton2")
        #expect(p.arch == "aarch64")
        #expect(p.cpuVendor == "ARM")
        #expect(p.cpuModel == "Neoverse-N1")
        #expect(p.logicalCPUs == 1)
        #expect(p.caches == [
            CPUCache(level: 1, type: "Data", sizeBytes: 64 * 1024),
            CPUCache(level: 1, type: "Instruction", sizeBytes: 64 * 1024),
            CPUCache(level: 2, type: "Unified", sizeBytes: 1024 * 1024),
            CPUCache(level: 3, type: "Unified", sizeBytes: 32 * 1024 * 1024),
        ])
        #expect(p.memoryBytes == 1_888_980 * 1024)
        #expect(!p.hasFeature("sve"))
        #expect(IsaLevel(profile: p) == .aarch64_neon)
    }

    @Test func graviton3HasSVE() {
        let p = Fixtures.profile("graviton3")
        #expect(p.arch == "aarch64")
        #expect(p.cpuModel == "Neoverse-V1")
        #expect(p.hasFeature("sve") && p.hasFeature("svebf16") && p.hasFeature("i8mm"))
        #expect(IsaLevel(profile: p) == .aarch64_sve)
        #expect(BLASCoreType.choose(for: p) == "NeoverseV1")
    }

    @Test func bigLittlePhoneSoC() {
        let p = Fixtures.profile("ul-arm-a510-a710-a715-x3")
        #expect(p.arch == "aarch64")
        #expect(p.cpuModel == "3x Cortex-A510 + 2x Cortex-A715 + 2x Cortex-A710 + 1x Cortex-X3")
        #expect(p.logicalCPUs == 8)
        #expect(p.caches.isEmpty)  // this dump has no cache `size` files
        #expect(p.hasFeature("bf16"))
    }

    @Test func exynos5OldCpuinfoLayout() {
        let p = Fixtures.profile("ul-armv7-exynos5")
        #expect(p.arch == "armv7l")
        #expect(p.cpuVendor == "ARM")
        #expect(p.cpuModel == "Cortex-A15")
        #expect(p.logicalCPUs == 2)
        #expect(p.hasFeature("neon") && p.hasFeature("swp"))
        #expect(IsaLevel(profile: p) == .armv7_neon)
    }

    @Test func visionFive2RISCV() {
        let p = Fixtures.profile("ul-rv64-visionfive2")
        #expect(p.arch == "riscv64")
        #expect(p.cpuVendor == "SiFive")
        #expect(p.cpuModel == "SiFive U74-MC")
        #expect(p.logicalCPUs == 4)
        #expect(p.isaFeatures == ["a", "c", "d", "f", "i", "m", "zba", "zbb", "zicntr", "zicsr", "zifencei", "zihpm"])
        #expect(p.caches == [
            CPUCache(level: 1, type: "Data", sizeBytes: 32 * 1024),
            CPUCache(level: 1, type: "Instruction", sizeBytes: 32 * 1024),
            CPUCache(level: 2, type: "Unified", sizeBytes: 2048 * 1024),
        ])
        #expect(IsaLevel(profile: p) == .generic)
        #expect(BLASCoreType.choose(for: p) == nil)
    }
}
