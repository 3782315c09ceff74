import RoostCore
import RoostProbe
import Testing

@Suite(.enabled(if: fixturesAvailable, "…/shared/probe-fixtures not present: probe fixture tests skipped"))
struct GPUFixtureTests {
    @Test func h100FromFullQueryCSV() {
        let p = Fixtures.profile("h100-80gb-hbm3")
        #expect(p.gpus == [GPUDevice(name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driverVersion: "590.48.01", cudaVersion: "13.1")])
    }

    @Test func l40s() {
        #expect(Fixtures.profile("l40s").gpus
            == [GPUDevice(name: "NVIDIA L40S", memoryMiB: 46068, driverVersion: "595.80", cudaVersion: "13.2")])
    }

    @Test func rtx4080Super() {
        #expect(Fixtures.profile("rtx-4080-super").gpus
            == [GPUDevice(name: "NVIDIA GeForce RTX 4080 SUPER", memoryMiB: 16376, driverVersion: "595.71.05", cudaVersion: "13.2")])
    }

    @Test func teslaP100CSVWithoutTotalIsCompletedFromXML() {
        #expect(Fixtures.profile("tesla-p100").gpus
            == [GPUDevice(name: "Tesla P100-PCIE-16GB", memoryMiB: 16384, driverVersion: "510.47.03", cudaVersion: "11.6")])
    }

    @Test func teslaP100CSVAlone() throws {
        let csv = try #require(Fixtures.source("tesla-p100").run(.nvidiaSMIQueryGPU))
        #expect(NvidiaSMIParser.queryCSV(csv) == [GPUDevice(name: "Tesla P100-PCIE-16GB")])
        // reserved 103 + used 0 + free 16280
        #expect(NvidiaSMIParser.queryCSV(csv, estimateMissingTotal: true).first?.memoryMiB == 16383)
    }

    @Test func a100XMLSkipsMIGSlices() {
        #expect(Fixtures.profile("a100-sxm4").gpus
            == [GPUDevice(name: "NVIDIA A100-SXM4-80GB", memoryMiB: 81920, driverVersion: "535.54.03", cudaVersion: "12.2")])
    }

    @Test(arguments: [
        ("tesla-t4", "Tesla T4", 15360, "515.105.01", "11.7"),
        ("a10g", "NVIDIA A10G", 23028, "515.105.01", "11.7"),
        ("rtx-3080", "NVIDIA GeForce RTX 3080", 10240, "536.40", "12.2"),
    ])
    func xmlOnly(machine: String, name: String, memory: Int, driver: String, cuda: String) {
        #expect(Fixtures.profile(machine).gpus
            == [GPUDevice(name: name, memoryMiB: memory, driverVersion: driver, cudaVersion: cuda)])
    }

    @Test func textReport() throws {
        let text = try #require(Fixtures.source("h100-80gb-hbm3").run(.nvidiaSMIText))
        #expect(NvidiaSMIParser.text(text)
            == [GPUDevice(name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driverVersion: "590.48.01", cudaVersion: "13.1")])
        let l40s = try #require(Fixtures.source("l40s").run(.nvidiaSMIText))
        #expect(NvidiaSMIParser.text(l40s).map(\.memoryMiB) == [46068])
    }

    @Test func versionReport() throws {
        let text = try #require(Fixtures.source("rtx-4080-super").run(.nvidiaSMIVersion))
        let version = NvidiaSMIParser.version(text)
        #expect(version.driver == "595.71.05")
        #expect(version.cuda == "13.2")
    }

    @Test func gpuServerWithoutCPUDataStillProbes() {
        let p = Fixtures.profile("h100-80gb-hbm3")
        #expect(p.cpuModel == "unknown")
        #expect(p.logicalCPUs == 1)
        #expect(p.summary.contains("NVIDIA H100 80GB HBM3"))
    }
}
