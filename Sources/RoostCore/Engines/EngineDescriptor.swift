import Foundation

/// What an engine needs from a machine and what it can run. The scheduler uses
/// it to refuse, at queue time, a benchmark no matching agent can run (naming
/// what is missing); the agent uses it to decide what to advertise; the target
/// signature carries the engine's name, version and device.
public struct EngineDescriptor: Sendable, Equatable {
    /// Where the engine executes: `cpu` or `gpu` (the device kind in the target).
    public enum Device: String, Codable, Sendable { case cpu, gpu }

    /// The contract name used by `--engines`, selectors and reports.
    public var name: String
    public var device: Device
    /// Python module the adapter imports (`onnxruntime`, `openvino`); nil for in-process engines.
    public var pythonModule: String?
    /// The pip package that provides it, for messages and install notes.
    public var pythonPackage: String?
    /// ONNX Runtime execution provider the engine needs to be listed as available.
    public var provider: String?
    /// GPU vendor the agent's probe must have found (`nvidia`).
    public var gpuVendor: String?
    /// Input forms it runs: the native engine runs compiled artifacts, the others ONNX files.
    public var runsONNX: Bool
    /// Element types it accepts for model inputs.
    public var dtypes: [String]
    /// ONNX opsets it is documented to run.
    public var opsets: ClosedRange<Int>

    public init(name: String, device: Device, pythonModule: String? = nil, pythonPackage: String? = nil, provider: String? = nil,
                gpuVendor: String? = nil, runsONNX: Bool = true, dtypes: [String] = ["float32", "int64", "int32"], opsets: ClosedRange<Int> = 7...23) {
        self.name = name
        self.device = device
        self.pythonModule = pythonModule
        self.pythonPackage = pythonPackage
        self.provider = provider
        self.gpuVendor = gpuVendor
        self.runsONNX = runsONNX
        self.dtypes = dtypes
        self.opsets = opsets
    }

    /// Python that prints the engine's version on one line and exits 0, or
    /// exits non-zero when this machine's Python cannot run it (module missing,
    /// execution provider not built in).
    public var versionProbe: String? {
        guard let module = pythonModule else { return nil }
        var code = "import \(module) as m\n"
        if let provider {
            code += "import sys\nif '\(provider)' not in m.get_available_providers(): sys.exit(3)\n"
        }
        code += "print(m.__version__.split('-')[0])\n"
        return code
    }

    /// Everything the engine needs, in words, for the queue-time error.
    public var requirements: String {
        var parts: [String] = []
        if let gpuVendor { parts.append("a GPU from \(gpuVendor) (selector gpu=\(gpuVendor))") }
        if let pythonPackage { parts.append("the Python package \(pythonPackage)" + (provider.map { " with \($0)" } ?? "")) }
        return parts.isEmpty ? "nothing beyond the agent" : parts.joined(separator: " and ")
    }

    /// Why `hardware` cannot offer this engine, judged from the probe alone
    /// (the Python side is the agent's discovery), or nil when it could.
    public func missingHardware(on hardware: HardwareProfile) -> String? {
        guard let vendor = gpuVendor else { return nil }
        return hardware.gpus.contains { $0.vendor == vendor } ? nil : "no \(vendor) GPU"
    }
}
