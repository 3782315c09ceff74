import RoostCore
import RoostProbe
import Testing

@Suite struct ParserTests {
    @Test func cacheSizes() {
        #expect(CacheParser.size("32K") == 32 * 1024)
        #expect(CacheParser.size("1024K\n") == 1024 * 1024)
        #expect(CacheParser.size("32768K") == 32 * 1024 * 1024)
        #expect(CacheParser.size("2M") == 2 * 1024 * 1024)
        #expect(CacheParser.size("512") == 512)
        #expect(CacheParser.size("") == nil)
        #expect(CacheParser.size("K") == nil)
        #expect(CacheParser.cache(level: "2\n", type: "Unified\n", size: "1024K\n")
            == CPUCache(level: 2, type: "Unified", sizeBytes: 1 << 20))
        #expect(CacheParser.cache(level: "1", type: "Data", size: nil) == nil)
    }

    @Test func memTotal() {
        #expect(MemInfoParser.totalBytes("MemTotal:        2007536 kB\nMemFree: 1 kB\n") == 2_007_536 * 1024)
        #expect(MemInfoParser.totalBytes("MemFree: 1 kB\n") == nil)
    }

    @Test func riscvExtensions() {
        #expect(RISCVISA.base("rv64imafdc_zicsr") == "rv64")
        #expect(RISCVISA.base("x86") == nil)
        #expect(RISCVISA.extensions("rv64imafdc_zicntr_zicsr_zifencei_zihpm_zba_zbb")
            == ["a", "c", "d", "f", "i", "m", "zba", "zbb", "zicntr", "zicsr", "zifencei", "zihpm"])
        #expect(RISCVISA.extensions("rv64gcv") == ["a", "c", "d", "f", "i", "m", "v", "zicsr", "zifencei"])
        #expect(RISCVISA.extensions("rv64i2p1m2p0a2p1_zicsr2p0") == ["a", "i", "m", "zicsr"])
        #expect(RISCVISA.extensions("rv64imafdcsu") == ["a", "c", "d", "f", "i", "m", "s", "u"])
    }

    @Test func armCodes() {
        #expect(ARMCoreNames.code("0xd08") == 0xd08)
        #expect(ARMCoreNames.core(implementer: 0x41, part: 0xd0c) == "Neoverse-N1")
        #expect(ARMCoreNames.core(implementer: 0x4e, part: 0x004) == "Carmel")
        #expect(ARMCoreNames.implementer(0x41) == "ARM")
        #expect(ARMCoreNames.core(implementer: 0x41, part: 0xfff) == nil)
    }

    @Test func cpuinfoSplitsOnFirstColonAndTrims() {
        let text = "processor    : 0\nvendor_id : GenuineIntel\nmodel name  :  Weird: CPU  \nflags : SSE2 avx2 fma avx2 lm\nvmx flags : ept\n"
        let info = CPUInfoParser.parse(text)
        #expect(info.model == "Weird: CPU")
        #expect(info.features == ["avx2", "fma", "lm", "sse2"])
        #expect(info.arch == "x86_64")
        #expect(info.processorCount == 1)
    }

    @Test func cpuinfoFeaturesAreCommonToAllCores() {
        let text = "processor\t: 0\nFeatures\t: fp asimd sve\nCPU implementer\t: 0x41\nCPU part\t: 0xd40\n\n"
            + "processor\t: 1\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd05\n"
        let info = CPUInfoParser.parse(text)
        #expect(info.features == ["asimd", "fp"])
        #expect(info.model == "1x Neoverse-V1 + 1x Cortex-A55")
        #expect(info.arch == "aarch64")
    }

    @Test func unknownArmPartFallsBack() {
        let info = CPUInfoParser.parse("processor\t: 0\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xfff\n")
        #expect(info.model == "Arm part 0xfff")
        #expect(info.vendor == "ARM")
    }

    @Test func nvidiaLiveQueryFormat() {
        // What the live probe asks for: noheader, nounits.
        let gpus = NvidiaSMIParser.queryCSV("NVIDIA H100 80GB HBM3, 81559, 590.48.01\nTesla T4, 15360, 590.48.01\n")
        #expect(gpus == [
            GPUDevice(name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driverVersion: "590.48.01"),
            GPUDevice(name: "Tesla T4", memoryMiB: 15360, driverVersion: "590.48.01"),
        ])
        #expect(NvidiaSMIParser.queryCSV("") == [])
        #expect(NvidiaSMIParser.queryCSV("name, memory.total [MiB]\n").isEmpty)
    }

    @Test func osRelease() {
        #expect(OSReleaseParser.prettyName("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
            == "Debian GNU/Linux 12 (bookworm)")
        #expect(OSReleaseParser.prettyName("NAME=Alpine\nVERSION_ID=3.19.1\n") == "Alpine 3.19.1")
        #expect(OSReleaseParser.prettyName("") == nil)
    }

    @Test func fixtureFileNames() {
        #expect(FixtureSource.fileName(for: "/proc/cpuinfo") == "proc-cpuinfo")
        #expect(FixtureSource.fileName(for: "/proc/meminfo") == "proc-meminfo")
        #expect(FixtureSource.fileName(for: "/proc/device-tree/model") == "device-tree-model")
        #expect(FixtureSource.fileName(for: "/sys/devices/system/cpu/online") == "sys/devices/system/cpu/online")
        #expect(FixtureSource.fileName(for: "/etc/os-release") == "etc-os-release")
        #expect(FixtureSource.fileName(for: ProbeCommand.nvidiaSMIQueryGPU) == "nvidia-smi-query-gpu.csv")
        #expect(FixtureSource.fileName(for: ProbeCommand.nvidiaSMIXML) == "nvidia-smi-q.xml")
        #expect(FixtureSource.fileName(for: ProbeCommand.lscpu) == "lscpu.txt")
    }

    @Test func probeUsesOnlineListDeviceTreeAndCgroup() {
        let source = MapSource(
            files: [
                "/proc/cpuinfo": "processor\t: 0\nprocessor\t: 1\n",
                "/sys/devices/system/cpu/online": "0-3,5\n",
                "/proc/device-tree/model": "Some Board Rev 2\0",
                "/proc/self/cgroup": "0::/\n",
                "/sys/fs/cgroup/cpu.max": "150000 100000\n",
                "/etc/os-release": "PRETTY_NAME=\"Test OS 1\"\n",
                "/etc/machine-id": "abc123\n",
            ],
            commands: [.unameMachine: "aarch64\n", .unameRelease: "6.1.0-test\n"],
            cpus: [0, 1, 2]
        )
        let profile = HardwareProbe(source: source).probe()
        #expect(profile.logicalCPUs == 5)
        #expect(profile.board == "Some Board Rev 2")
        #expect(profile.arch == "aarch64")
        #expect(profile.kernel == "6.1.0-test")
        #expect(profile.os == "Test OS 1")
        #expect(profile.machineID == "abc123")
        #expect(profile.usableCPUIDs == [0, 1, 2])
        #expect(profile.cgroupCPULimit == 1.5)
        #expect(profile.effectiveCPUs == 1)
        #expect(profile.engines == ["native"])
    }

    @Test func machineIDFallsBackToHostname() {
        let source = MapSource(commands: [.hostname: "bench-07\n"])
        #expect(HardwareProbe(source: source).probe().machineID == "bench-07")
        let dbus = MapSource(files: ["/var/lib/dbus/machine-id": "d-bus-id\n"], commands: [.hostname: "bench-07\n"])
        #expect(HardwareProbe(source: dbus).probe().machineID == "d-bus-id")
    }
}
