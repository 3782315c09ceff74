import RoostCore
import RoostProbe
import Testing

@Suite(.enabled(if: fixturesAvailable, "…/shared/probe-fixtures not present: probe fixture tests skipped"))
struct X86FixtureTests {
    @Test func xeonGold5218RVirtualMachine() {
        let p = Fixtures.profile("xeon-gold-5218r-vm")
        #expect(p.arch == "x86_64")
        #expect(p.cpuVendor == "GenuineIntel")
        #expect(p.cpuModel == "Intel(R) Xeon(R) Gold 5218R CPU @ 2.10GHz")
        #expect(p.logicalCPUs == 2)
        #expect(p.hasFeature("avx512f"))
        #expect(p.hasFeature("hypervisor"))
        #expect(!p.hasFeature("avx512_bf16"))
        #expect(p.caches == [
            CPUCache(level: 1, type: "Data", sizeBytes: 32 * 1024),
            CPUCache(level: 1, type: "Instruction", sizeBytes: 32 * 1024),
            CPUCache(level: 2, type: "Unified", sizeBytes: 4096 * 1024),
            CPUCache(level: 3, type: "Unified", sizeBytes: 16384 * 1024),
        ])
        #expect(p.memoryBytes == 2_007_536 * 1024)
        #expect(p.gpus.isEmpty)
        #expect(p.board == nil)
        #expect(p.usableCPUIDs.isEmpty)
        #expect(p.engines == ["native"])
        #expect(IsaLevel(profile: p) == .x86_64_avx512)
        #expect(BLASCoreType.choose(for: p) == "SkylakeX")
    }

    @Test func featuresAreNormalized() {
        let p = Fixtures.profile("xeon-gold-5218r-vm")
        #expect(p.isaFeatures == p.isaFeatures.sorted())
        #expect(Set(p.isaFeatures).count == p.isaFeatures.count)
        #expect(p.isaFeatures.allSatisfy { $0 == $0.lowercased() })
    }

    @Test func xeonGold6132SkylakeSP() {
        let p = Fixtures.profile("xeon-gold-6132-skylake-sp")
        #expect(p.cpuModel == "Intel(R) Xeon(R) Gold 6132 CPU @ 2.60GHz")
        #expect(p.logicalCPUs == 1)  // archspec kept one processor block
        #expect(["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"].allSatisfy(p.hasFeature))
        #expect(IsaLevel(profile: p) == .x86_64_avx512)
        #expect(BLASCoreType.choose(for: p) == "SkylakeX")
    }

    @Test func sapphireRapidsWithSpacesInsteadOfTabs() {
        let p = Fixtures.profile("xeon-platinum-8480plus-sapphire-rapids")
        #expect(p.arch == "x86_64")
        #expect(p.cpuVendor == "GenuineIntel")
        #expect(p.cpuModel == "Intel(R) Xeon(R) Platinum 8480+")
        #expect(p.logicalCPUs == 1)
        #expect(p.hasFeature("avx512_bf16"))
        #expect(p.hasFeature("amx_tile"))
        #expect(p.hasFeature("avx512_fp16"))
        // `vmx flags` must not leak into `flags`.
        #expect(!p.hasFeature("preemption_timer"))
        #expect(BLASCoreType.choose(for: p) == "Cooperlake")
    }

    @Test func epyc9654Zen4() {
        let p = Fixtures.profile("epyc-9654-zen4")
        #expect(p.cpuVendor == "AuthenticAMD")
        #expect(p.cpuModel == "AMD EPYC 9654 96-Core Processor")
        #expect(p.hasFeature("avx512f"))
        #expect(p.hasFeature("avx512_bf16"))
        #expect(IsaLevel(profile: p) == .x86_64_avx512)
        #expect(BLASCoreType.choose(for: p) == "Cooperlake")
    }

    @Test func epyc7451Zen1HasAVX2ButNoAVX512() {
        let p = Fixtures.profile("ul-x86_64-epyc-7451")
        #expect(p.cpuVendor == "AuthenticAMD")
        #expect(p.cpuModel == "AMD EPYC 7451 24-Core Processor")
        #expect(p.logicalCPUs == 96)
        #expect(p.hasFeature("avx2") && p.hasFeature("fma"))
        #expect(!p.hasFeature("avx512f"))
        #expect(IsaLevel(profile: p) == .x86_64_avx2)
        #expect(BLASCoreType.choose(for: p) == "Zen")
        #expect(p.caches.map(\.sizeBytes) == [32 * 1024, 64 * 1024, 512 * 1024, 8192 * 1024])
        #expect(p.caches.map(\.type) == ["Data", "Instruction", "Unified", "Unified"])
    }

    @Test func tigerLakeLaptop() {
        let p = Fixtures.profile("ul-x86_64-i7-1165g7")
        #expect(p.cpuModel == "11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz")
        #expect(p.logicalCPUs == 8)
        #expect(p.hasFeature("avx512_vp2intersect"))
        #expect(BLASCoreType.choose(for: p) == "SkylakeX")
        #expect(p.caches == [
            CPUCache(level: 1, type: "Data", sizeBytes: 48 * 1024),
            CPUCache(level: 1, type: "Instruction", sizeBytes: 32 * 1024),
            CPUCache(level: 2, type: "Unified", sizeBytes: 1280 * 1024),
            CPUCache(level: 3, type: "Unified", sizeBytes: 12288 * 1024),
        ])
    }
}
