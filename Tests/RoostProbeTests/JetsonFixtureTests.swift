import RoostCore
import RoostProbe
import Testing

@Suite(.enabled(if: fixturesAvailable, "…/shared/probe-fixtures not present: probe fixture tests skipped"))
struct JetsonFixtureTests {
    @Test func jetsonNano() {
        let p = Fixtures.profile("jetson-nano")
        #expect(p.arch == "aarch64")
        #expect(p.cpuModel == "Cortex-A57")
        #expect(p.logicalCPUs == 4)
        #expect(p.board == "NVIDIA Jetson Nano Developer Kit")
        #expect(p.gpus == [GPUDevice(name: "NVIDIA Tegra Maxwell (Jetson Nano Developer Kit)")])
    }

    @Test func jetsonTX1() {
        let p = Fixtures.profile("jetson-tx1")
        #expect(p.cpuModel == "Cortex-A57")
        #expect(p.board == "jetson_tx1")
        #expect(p.gpus.map(\.name) == ["NVIDIA Tegra Maxwell (jetson_tx1)"])
    }

    @Test func jetsonAGXXavierFromCarmelCores() {
        let p = Fixtures.profile("jetson-agx-xavier")
        #expect(p.arch == "aarch64")
        #expect(p.cpuVendor == "NVIDIA")
        #expect(p.cpuModel == "Carmel")
        #expect(p.logicalCPUs == 8)
        #expect(p.gpus.map(\.name) == ["NVIDIA Tegra Volta (Jetson)"])
    }

    @Test func orinBoardsWithoutJetsonInTheirName() {
        #expect(Fixtures.profile("jetson-orin-nx").gpus.map(\.name) == ["NVIDIA Tegra Ampere (Orin NX Developer Kit)"])
        #expect(Fixtures.profile("jetson-orin-nano").board == "NVIDIA Orin Nano Developer Kit")
        #expect(Fixtures.profile("jetson-orin-nano").gpus.count == 1)
    }

    @Test func agxOrinFromTegrastatsOnly() {
        let p = Fixtures.profile("jetson-agx-orin")
        #expect(p.logicalCPUs == 12)
        #expect(p.memoryBytes == 62801 << 20)
        #expect(p.gpus.map(\.name) == ["NVIDIA Tegra (Jetson)"])
        #expect(p.arch == "unknown")
    }

    @Test func tx2Tegrastats() throws {
        let text = try #require(Fixtures.source("jetson-tx2").run(.tegrastats))
        let line = TegrastatsLine(text)
        #expect(line.ramTotalMiB == 7852)
        #expect(line.cpuCount == 6)
        #expect(line.hasGPU)
    }

    @Test func nonJetsonBoardsHaveNoTegraGPU() {
        #expect(Fixtures.profile("raspberry-pi-4-armv7l").gpus.isEmpty)
        #expect(Fixtures.profile("graviton3").gpus.isEmpty)
    }
}
