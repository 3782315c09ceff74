import Foundation
import Testing
@testable import RoostAgent
@testable import RoostBench
@testable import RoostCore
import RoostProbe
import RoostTestSupport

/// The engine × hardware seam on recorded machines: which engines an agent
/// advertises, the queue-time error for a missing one, the GPU selectors, GPU
/// environment capture and its throttling rule, and energy from powercap
/// fixtures and GPU power samples. No GPU is needed: the GPU machines are
/// ../shared/probe-fixtures recordings.
@Suite(.enabled(if: ProbeFixtures.root != nil, "../shared/probe-fixtures is not present; GPU fixture tests are skipped"))
struct EngineMatrixTests {
    static let fixtures = ProbeFixtures.root
    static let local = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func machine(_ name: String) -> HardwareProfile { HardwareProbe(source: FixtureSource(directory: fixtures! + "/" + name)).probe() }
    static func text(_ machine: String, _ file: String) throws -> String {
        try String(contentsOfFile: fixtures! + "/\(machine)/\(file)", encoding: .utf8)
    }
    /// Every Python engine "installed" at a recognisable version, so only the hardware decides.
    static let everything: @Sendable (EngineDescriptor) -> String? = { $0.name == "openvino" ? "2026.4.1" : "1.22.0" }

    @Test func gpuMachinesAdvertiseGPUEnginesAndCPUMachinesDoNot() {
        let h100 = EngineDiscovery.complete(Self.machine("h100-80gb-hbm3"), profile: nil, version: Self.everything)
        #expect(h100.engines == ["native", "onnxruntime", "openvino", "onnxruntime-cuda", "onnxruntime-tensorrt"])
        #expect(h100.engineVersions?["openvino"] == "2026.4.1")
        let xeon = EngineDiscovery.complete(Self.machine("xeon-platinum-8480plus-sapphire-rapids"), profile: nil, version: Self.everything)
        #expect(xeon.engines == ["native", "onnxruntime", "openvino"])
        // A Python without onnxruntime-gpu's CUDA provider: the GPU is not enough.
        let noCUDA = EngineDiscovery.complete(Self.machine("tesla-t4"), profile: nil, version: { $0.provider == nil ? "1.0" : nil })
        #expect(noCUDA.engines == ["native", "onnxruntime", "openvino"])
        // The agent profile's list narrows what is advertised.
        let narrowed = EngineDiscovery.complete(Self.machine("l40s"), profile: AgentProfile(engines: ["native", "onnxruntime-cuda"]), version: Self.everything)
        #expect(narrowed.engines == ["native", "onnxruntime-cuda"])
        #expect(narrowed.engineVersions?.keys.sorted() == ["native", "onnxruntime-cuda"])
    }

    @Test func targetSignatureCarriesEngineVersionAndDevice() throws {
        var hw = EngineDiscovery.complete(Self.machine("h100-80gb-hbm3"), profile: nil, version: Self.everything)
        let cuda = try #require(hw.targets.first { $0.engine == "onnxruntime-cuda" })
        #expect(cuda.engineVersion == "1.22.0")
        #expect(cuda.device == "gpu:NVIDIA H100 80GB HBM3")
        #expect(cuda.label.hasSuffix("/onnxruntime-cuda 1.22.0 on NVIDIA H100 80GB HBM3"))
        let ov = try #require(hw.targets.first { $0.engine == "openvino" })
        #expect(ov.device == "cpu")
        hw.engineVersions?["openvino"] = "2025.1.0"
        #expect(hw.targets.first { $0.engine == "openvino" }?.signature != ov.signature)
        // The native target is what it was before engines carried versions (artifact caches stay valid).
        let native = try #require(hw.targets.first { $0.engine == "native" })
        #expect(native.engineVersion == nil && native.device == nil)
    }

    @Test func queueingAGPUEngineOnCPUAgentsNamesTheMissingCapability() throws {
        let xeon = EngineDiscovery.complete(Self.machine("xeon-platinum-8480plus-sapphire-rapids"), profile: nil, version: Self.everything)
        let epyc = EngineDiscovery.complete(Self.machine("epyc-9654-zen4"), profile: nil, version: { $0.name == "onnxruntime" ? "1.22.0" : nil })
        let message = try #require(EngineAvailability.missing(engines: ["native", "onnxruntime-cuda"], agents: [("xeon", xeon), ("epyc", epyc)]))
        #expect(message.contains("no matching agent offers engine onnxruntime-cuda"))
        #expect(message.contains("a GPU from nvidia (selector gpu=nvidia)"))
        #expect(message.contains("onnxruntime-gpu with CUDAExecutionProvider"))
        #expect(message.contains("xeon: no nvidia GPU"))
        #expect(EngineAvailability.missing(engines: ["openvino"], agents: [("epyc", epyc)])?.contains("epyc: openvino not found by the agent") == true)
        #expect(EngineAvailability.missing(engines: ["native", "openvino"], agents: [("xeon", xeon), ("epyc", epyc)]) == nil)
    }

    @Test func gpuSelectorsOnRecordedMachines() throws {
        let h100 = Self.machine("h100-80gb-hbm3"), t4 = Self.machine("tesla-t4"), xeon = Self.machine("xeon-platinum-8480plus-sapphire-rapids")
        func match(_ s: String, _ hw: HardwareProfile) throws -> Bool { try TargetSelector(parsing: s).matches(name: "a", tags: [:], hardware: hw) }
        for s in ["gpu=nvidia", "gpu=NVIDIA", "gpu.name~H100", "gpu.name~h100", "gpu.memory>=40GiB", "gpu.count>=1", "gpu=nvidia,gpu.memory>=79GiB"] {
            #expect(try match(s, h100), "\(s) on H100")
        }
        #expect(try match("gpu.name~T4", t4) && !match("gpu.memory>=40GiB", t4) && match("gpu.memory>=15GiB", t4))
        #expect(try !match("gpu.name~H100", t4))
        for s in ["gpu=nvidia", "gpu.count>=1", "gpu.memory>=1GiB", "gpu.name~NVIDIA"] { #expect(try !match(s, xeon), "\(s) on a CPU machine") }
        #expect(try match("gpu.count>=0", xeon))
        for bad in ["gpu.memory>=lots", "gpu.memory>=40", "gpu.count>=x", "gpu.count>=-1", "gpu.name~", "gpu.name=H100", "arch~x86", "gpu.memory>=1e30GiB"] {
            #expect(throws: RoostError.self, "\(bad)") { try TargetSelector(parsing: bad) }
        }
    }

    @Test func gpuTelemetryParsesEveryRecordedQueryCSV() throws {
        let h100 = try #require(GPUSample.parseCSV(try Self.text("h100-80gb-hbm3", "nvidia-smi-query-gpu.csv")).first)
        #expect(h100.name == "NVIDIA H100 80GB HBM3")
        #expect(h100.smClockMHz == 345 && h100.memoryClockMHz == 2619 && h100.powerW == 69.85)
        #expect(h100.temperatureC == 41 && h100.utilizationPercent == 0 && h100.memoryUsedMiB == 0)
        #expect(h100.throttleReasons == ["gpu_idle"])
        let l40s = try #require(GPUSample.parseCSV(try Self.text("l40s", "nvidia-smi-query-gpu.csv")).first)
        #expect(l40s.smClockMHz == 2520 && l40s.utilizationPercent == 100 && l40s.powerW == 144.97 && l40s.throttleReasons.isEmpty)
        // The short query an older exporter ran: no throttle columns, numbers without units.
        let p100 = try #require(GPUSample.parseCSV(try Self.text("tesla-p100", "nvidia-smi-query-gpu.csv")).first)
        #expect(p100.smClockMHz == 405 && p100.powerW == 28.16 && p100.temperatureC == 37 && p100.throttleReasons.isEmpty)
        #expect(GPUSample.parseCSV("").isEmpty && GPUSample.parseCSV("garbage\n1,2,3").isEmpty)
    }

    @Test func gpuThrottlingMakesARunInvalidWithTheReason() throws {
        let csv = try Self.text("l40s", "nvidia-smi-query-gpu.csv")
        // The L40S recording under load, then the same row with the power cap reported active.
        let lines = csv.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var values = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let capped = try #require(header.firstIndex(of: "clocks_event_reasons.sw_power_cap"))
        values[capped] = " Active"
        let throttled = lines[0] + "\n" + lines[1] + "\n" + values.joined(separator: ",") + "\n"
        let samples = RecordedGPUTelemetry(csv: throttled).stop()
        #expect(samples.count == 2)
        var env = RunEnvironment(engine: "onnxruntime-cuda")
        env.gpu = GPUSample.summarize(samples)
        #expect(env.gpu?.throttleReasons == ["sw_power_cap"])
        let spec = BenchmarkSpec()
        let verdict = ValidityRules.evaluate(spec: spec, statistics: nil, wallSeconds: 100, environment: env, accuracy: nil)
        #expect(verdict.causes?.contains(.throttling) == true)
        #expect(verdict.reasons.contains { $0.contains("GPU thermal or power throttling") && $0.contains("sw_power_cap") })
        // An idle GPU (the H100 recording: gpu_idle only) is not throttled.
        env.gpu = GPUSample.summarize(RecordedGPUTelemetry(csv: try Self.text("h100-80gb-hbm3", "nvidia-smi-query-gpu.csv")).stop())
        #expect(ValidityRules.evaluate(spec: spec, statistics: nil, wallSeconds: 100, environment: env, accuracy: nil).causes?.contains(.throttling) != true)
    }

    @Test func gpuEnergyIntegratesRecordedPower() throws {
        let csv = try Self.text("l40s", "nvidia-smi-query-gpu.csv")
        let lines = csv.split(separator: "\n").map(String.init)
        let replay = RecordedGPUTelemetry(csv: ([lines[0]] + Array(repeating: lines[1], count: 11)).joined(separator: "\n"), intervalSeconds: 0.1)
        let meter = EnergyMeter(gpu: replay)
        meter.start()
        var env = RunEnvironment(engine: "onnxruntime-cuda")
        meter.stop(into: &env, inferences: 1000, measuredSeconds: 2)
        let energy = try #require(env.energy)
        #expect(energy.source == "nvidia-smi-power")
        #expect(abs(energy.joules - 144.97 * 2) < 1e-6)
        #expect(abs((energy.joulesPerInference ?? 0) - 0.28994) < 1e-6)
        #expect(env.gpu?.powerW?.max == 144.97 && env.gpu?.smClockMHz?.min == 2520 && env.gpu?.name == "NVIDIA L40S")
    }

    @Test func raplEnergyFromPowercapFixtures() throws {
        let start = try #require(RAPLCounter(root: Self.local + "/powercap-2pkg/start").read())
        let end = try #require(RAPLCounter(root: Self.local + "/powercap-2pkg/end").read())
        #expect(start.zones.keys.sorted() == ["intel-rapl:0", "intel-rapl:1"]) // the dram sub-zone is inside package-0
        #expect(RAPLCounter.joules(from: start, to: end) == 440)
        #expect(RAPLCounter(root: Self.local + "/powercap-2pkg/start").source(start) == "rapl:package-0+package-1")
        let a = try #require(RAPLCounter(root: Self.local + "/powercap-wrap/start").read())
        let b = try #require(RAPLCounter(root: Self.local + "/powercap-wrap/end").read())
        #expect(RAPLCounter.joules(from: a, to: b) == 1)
        #expect(RAPLCounter(root: Self.local + "/powercap-unreadable/start").read() == nil)
        #expect(RAPLCounter(root: "/nonexistent/powercap").read() == nil)
        // Nothing readable: the result says "not measured" (nil), never 0 J.
        let meter = EnergyMeter(gpu: nil, rapl: RAPLCounter(root: Self.local + "/powercap-unreadable/start"))
        meter.start()
        var env = RunEnvironment()
        meter.stop(into: &env, inferences: 100, measuredSeconds: 1)
        #expect(env.energy == nil)
    }

    @Test func agentProfilesNameOnlyKnownEngines() throws {
        let dir = TestEnvironment.packageRoot.appendingPathComponent("Agents")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(files.contains("gpu-server-nvidia.json") && files.contains("jetson-orin.json") && files.contains("raspberry-pi-5.json"))
        for file in files {
            let profile = try AgentProfile.load(from: dir.appendingPathComponent(file))
            for engine in profile.engines ?? [] { #expect(EngineCatalog.descriptor(named: engine) != nil, "\(file): \(engine)") }
        }
        // The GPU server profile on a recorded H100 advertises the GPU engines; the Pi 5 profile on the Pi 5 recording does not.
        let gpu = try AgentProfile.load(from: dir.appendingPathComponent("gpu-server-nvidia.json"))
        #expect(EngineDiscovery.complete(Self.machine("h100-80gb-hbm3"), profile: gpu, version: Self.everything).engines.contains("onnxruntime-tensorrt"))
        let pi = try AgentProfile.load(from: dir.appendingPathComponent("raspberry-pi-5.json"))
        #expect(EngineDiscovery.complete(Self.machine("raspberry-pi-5"), profile: pi, version: Self.everything).engines == ["native", "onnxruntime"])
    }
}

/// `../shared/probe-fixtures`, or nil when the clone has no ../shared.
enum ProbeFixtures {
    static let root = TestEnvironment.sharedDirectory.map { $0.appendingPathComponent("probe-fixtures").path }
        .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
}

/// The real ONNX Runtime adapter program on its GPU paths, against a stand-in
/// `onnxruntime` module that behaves like onnxruntime-gpu on a GPU machine
/// (providers listed, a profile file with per-node provider placement). It
/// checks what no CPU machine could otherwise: the provider check, no silent
/// CPU fallback, nodes on CPU reported, all of a model on CPU failing the job.
@Suite(.enabled(if: TestEnvironment.onnxRuntimePython != nil, TestEnvironment.onnxRuntimeSkipReason))
struct FakeGPUAdapterTests {
    static let fakeModule = #"""
import json, os, tempfile
import numpy as np
__version__ = "1.22.0"
MODE = os.environ.get("FAKE_ORT_MODE", "gpu")
class ExecutionMode: ORT_SEQUENTIAL = 0
class SessionOptions: pass
def get_available_providers():
    return ["CPUExecutionProvider"] if MODE == "noprovider" else ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]
class _Input:
    name, shape, type = "x", [1, 4], "tensor(float)"
class InferenceSession:
    def __init__(self, model, so, providers):
        self.providers = ["CPUExecutionProvider"] if MODE == "fallback" else [p if isinstance(p, str) else p[0] for p in providers]
    def get_providers(self): return self.providers
    def get_inputs(self): return [_Input()]
    def run(self, names, feed): return [feed["x"] * 2]
    def end_profiling(self):
        gpu = self.providers[0]
        nodes = [("Relu_%d" % i, "CPUExecutionProvider" if MODE == "allcpu" else gpu) for i in range(10)]
        if MODE == "gpu": nodes.append(("NonZero_0", "CPUExecutionProvider"))
        events = [{"cat": "Session", "name": "model_run"}] + [
            {"cat": "Node", "name": n + "_kernel_time", "args": {"op_name": n.split("_")[0], "provider": p}} for n, p in nodes]
        path = os.path.join(tempfile.mkdtemp(), "profile.json")
        with open(path, "w") as f: json.dump(events, f)
        return path
"""#

    static func start(_ mode: String, kind: String = "cuda") throws -> PythonAdapterEngine {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-fake-ort-\(UUID().uuidString)/onnxruntime")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(fakeModule.utf8).write(to: dir.appendingPathComponent("__init__.py"))
        return try PythonAdapterEngine(name: "onnxruntime-\(kind)", script: ONNXRuntimeAdapter.source, arguments: ["model.onnx", "2", kind],
                                       threads: 2, python: TestEnvironment.onnxRuntimePython!,
                                       environment: ["PYTHONPATH": dir.deletingLastPathComponent().path, "FAKE_ORT_MODE": mode])
    }

    @Test func gpuRunReportsNodesPlacedOnTheCPU() throws {
        for kind in ["cuda", "tensorrt"] {
            let engine = try Self.start("gpu", kind: kind)
            #expect(engine.device == "cuda:0" && engine.compileMs != nil)
            try engine.prepare(inputs: [HostTensor(shape: [1, 4], data: [1, 2, 3, 4])])
            #expect(try engine.timedRuns(count: 3)?.count == 3)
            let provider = kind == "cuda" ? "CUDAExecutionProvider" : "TensorrtExecutionProvider"
            #expect(engine.placement == [provider: 10, "CPUExecutionProvider": 1])
            #expect(try engine.outputs().first?.data == [2, 4, 6, 8])
            var env = RunEnvironment()
            engine.describe(into: &env)
            #expect(env.engine == "onnxruntime-\(kind)" && env.device == "cuda:0" && env.placement?["CPUExecutionProvider"] == 1)
        }
    }

    @Test func aModelEntirelyOnTheCPUFailsWithThatReason() throws {
        let engine = try Self.start("allcpu")
        try engine.prepare(inputs: [HostTensor(shape: [1, 4], data: [1, 2, 3, 4])])
        let error = #expect(throws: (any Error).self) { try engine.timedRuns(count: 1) }
        #expect(error.map { "\($0)" }?.contains("all 10 nodes of the model ran on CPUExecutionProvider") == true, "\(String(describing: error))")
    }

    @Test func noSilentFallbackToTheCPUProvider() throws {
        let fallback = #expect(throws: (any Error).self) { try Self.start("fallback") }
        #expect(fallback.map { "\($0)" }?.contains("fell back to CPUExecutionProvider") == true, "\(String(describing: fallback))")
        let missing = #expect(throws: (any Error).self) { try Self.start("noprovider") }
        let text = missing.map { "\($0)" } ?? ""
        #expect(text.contains("CUDAExecutionProvider is not available") && text.contains("onnxruntime-gpu"), "\(text)")
    }
}
