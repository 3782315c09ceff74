import Foundation

/// Energy a run used, from a hardware counter: RAPL (`/sys/class/powercap`)
/// package energy on CPUs, NVML / nvidia-smi power integrated over the run on
/// GPUs. Absent (nil in `RunEnvironment.energy`) means "not measured", never zero.
public struct EnergyReading: Codable, Sendable, Equatable {
    /// Joules over the measured window.
    public var joules: Double
    /// Inferences in that window (batch items, not queries, for batched runs).
    public var inferences: Int
    /// `rapl:package-0+package-1`, `nvml-power`, `nvidia-smi-power`.
    public var source: String
    public var seconds: Double

    public init(joules: Double, inferences: Int, source: String, seconds: Double) {
        self.joules = joules
        self.inferences = inferences
        self.source = source
        self.seconds = seconds
    }

    public var joulesPerInference: Double? { inferences > 0 ? joules / Double(inferences) : nil }
    public var inferencesPerJoule: Double? { joules > 0 ? Double(inferences) / joules : nil }
    public var averageWatts: Double? { seconds > 0 ? joules / seconds : nil }
}
