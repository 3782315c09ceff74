import Foundation

/// The conditions a number was measured under: without these it is not
/// comparable. Sensors that are missing stay nil — recorded as missing, never guessed.
public struct RunEnvironment: Codable, Sendable, Equatable {
    public var engine: String
    public var engineVersion: String
    public var harnessVersion: String
    public var compilerVersion: String?
    /// `openblas_get_corename()` as the worker saw it, after forcing the core type.
    public var blasCore: String?
    public var blasThreads: Int?
    public var cpuAffinity: [Int]
    public var kernel: String?
    public var hostname: String?
    public var artifactLoadMs: Double?
    public var peakRSSBytes: Int?
    public var arenaBytes: Int?
    public var governor: String?
    /// CPU frequencies (MHz) sampled on the benchmark's CPUs during the run.
    public var frequencyMHz: SensorSummary?
    /// Hottest thermal zone / hwmon reading (°C) at start, end and max.
    public var temperatureC: SensorSummary?
    /// Fraction of the benchmark CPUs' time used by other processes during the run.
    public var otherCPUFraction: Double?
    /// CPU seconds the agent process itself (heartbeats, HTTP, supervision) used
    /// while its worker benchmarked: already inside `otherCPUFraction` when they
    /// share CPUs, and stated on its own so the farm's overhead is never hidden.
    public var agentCPUSeconds: Double?
    public var throttleEvents: Int?
    public var memAvailableBytes: UInt64?
    /// Model compile / engine build time the engine reported (OpenVINO's
    /// `compile_model`, ONNX Runtime's session with TensorRT's engine build).
    public var engineCompileMs: Double?
    /// The device the engine bound (`cpu`, `cuda:0`); nil for the native engine.
    public var device: String?
    /// Graph nodes per execution provider on GPU engines: a node on
    /// `CPUExecutionProvider` is stated here rather than hidden in the figure.
    public var placement: [String: Int]?
    /// GPU clocks, power, temperature, utilisation and throttle reasons sampled during a GPU run.
    public var gpu: GPUTelemetry?
    /// Energy the machine's counters saw during the measured window; nil when it exposes none ("not measured").
    public var energy: EnergyReading?

    public init(engine: String = "native", engineVersion: String = RoostVersion.roost, harnessVersion: String = RoostVersion.harness,
                compilerVersion: String? = nil, blasCore: String? = nil, blasThreads: Int? = nil, cpuAffinity: [Int] = [],
                kernel: String? = nil, hostname: String? = nil, artifactLoadMs: Double? = nil, peakRSSBytes: Int? = nil) {
        self.engine = engine
        self.engineVersion = engineVersion
        self.harnessVersion = harnessVersion
        self.compilerVersion = compilerVersion
        self.blasCore = blasCore
        self.blasThreads = blasThreads
        self.cpuAffinity = cpuAffinity
        self.kernel = kernel
        self.hostname = hostname
        self.artifactLoadMs = artifactLoadMs
        self.peakRSSBytes = peakRSSBytes
    }
}

/// Start, end, min and max of a sensor over a run.
public struct SensorSummary: Codable, Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var min: Double
    public var max: Double
    public var samples: Int
    public init(start: Double, end: Double, min: Double, max: Double, samples: Int) {
        self.start = start
        self.end = end
        self.min = min
        self.max = max
        self.samples = samples
    }

    public init?(_ values: [Double]) {
        guard let first = values.first, let last = values.last else { return nil }
        self.init(start: first, end: last, min: values.min() ?? first, max: values.max() ?? first, samples: values.count)
    }
}
