import Testing
@testable import RoostCore

@Suite struct TargetTests {
    let avx512 = HardwareProfile(arch: "x86_64", cpuVendor: "GenuineIntel", cpuModel: "Xeon", isaFeatures: ["avx2", "avx512bw", "avx512f", "avx512vl", "fma"], logicalCPUs: 4, usableCPUIDs: [0, 1, 2, 3])
    let zen3 = HardwareProfile(arch: "x86_64", cpuVendor: "AuthenticAMD", cpuModel: "EPYC", isaFeatures: ["avx2", "fma"], logicalCPUs: 2, usableCPUIDs: [0, 1])

    @Test func isaAndBLASCoreFromFeatures() {
        #expect(IsaLevel(profile: avx512) == .x86_64_avx512)
        #expect(BLASCoreType.choose(for: avx512) == "SkylakeX")
        #expect(IsaLevel(profile: zen3) == .x86_64_avx2)
        #expect(BLASCoreType.choose(for: zen3) == "Zen")
        var cooper = avx512
        cooper.isaFeatures.append("avx512_bf16")
        #expect(BLASCoreType.choose(for: cooper) == "Cooperlake")
        let pi = HardwareProfile(arch: "aarch64", cpuModel: "Cortex-A72", isaFeatures: ["asimd", "fp"], logicalCPUs: 4)
        #expect(IsaLevel(profile: pi) == .aarch64_neon)
    }

    @Test func effectiveCPUsHonoursAffinityAndCgroup() {
        var hw = avx512
        #expect(hw.effectiveCPUs == 4)
        hw.usableCPUIDs = [2]
        #expect(hw.effectiveCPUs == 1)
        hw.usableCPUIDs = [0, 1, 2, 3]
        hw.cgroupCPULimit = 2.5
        #expect(hw.effectiveCPUs == 2)
        // Profiles arrive from the wire: absurd limits must not trap (the scheduler computes this on enroll).
        hw.cgroupCPULimit = 1.7976931348623157e308
        #expect(hw.effectiveCPUs == 4)
        hw.cgroupCPULimit = .infinity
        #expect(hw.effectiveCPUs == 4)
    }

    @Test func signatureIsStableAndSeparatesThreadCounts() throws {
        let one = TargetSpec(isa: .x86_64_avx2, blasCoreType: "Zen", threads: 1)
        let two = TargetSpec(isa: .x86_64_avx2, blasCoreType: "Zen", threads: 2)
        #expect(one.signature == TargetSpec(isa: .x86_64_avx2, blasCoreType: "Zen", threads: 1).signature)
        #expect(one.signature != two.signature)
        #expect(one.signature.count == 16)
        var hw = zen3
        hw.usableCPUIDs = [1]
        #expect(TargetSpec(hardware: hw) == one)
    }

    @Test func namedTargets() throws {
        #expect(try TargetSpec(named: "x86_64-avx512").blasCoreType == "SkylakeX")
        #expect(try TargetSpec(named: "x86_64-avx2@2").threads == 2)
        #expect(throws: RoostError.self) { try TargetSpec(named: "pentium-mmx") }
        #expect(throws: RoostError.self) { try TargetSpec(named: "x86_64-avx2@0") }
    }

    @Test func selectorMatchesByCapability() throws {
        let tags = ["size": "small"]
        #expect(try TargetSelector(parsing: "all").matches(name: "a", tags: tags, hardware: zen3))
        #expect(try TargetSelector(parsing: "arch=x86_64,size=small").matches(name: "a", tags: tags, hardware: zen3))
        #expect(try !TargetSelector(parsing: "feature=avx512f").matches(name: "a", tags: tags, hardware: zen3))
        #expect(try TargetSelector(parsing: "feature=avx512f,cpus>=4").matches(name: "a", tags: [:], hardware: avx512))
        #expect(try !TargetSelector(parsing: "name=b").matches(name: "a", tags: tags, hardware: zen3))
        #expect(try TargetSelector(parsing: "isa=x86_64-avx2").matches(name: "a", tags: tags, hardware: zen3))
        #expect(throws: RoostError.self) { try TargetSelector(parsing: "justaword") }
        #expect(throws: RoostError.self) { try TargetSelector(parsing: "memory>=3") }
    }
}
