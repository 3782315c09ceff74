import Foundation

/// What the GPU did during a run, sampled like the CPU environment (clocks,
/// power, temperature, utilisation, memory) plus the throttle reasons the
/// driver reported active at any sample. A run with thermal or power
/// throttling is INVALID (`ValidityRules`), so the reasons are kept verbatim.
public struct GPUTelemetry: Codable, Sendable, Equatable {
    public var name: String?
    public var smClockMHz: SensorSummary?
    public var memoryClockMHz: SensorSummary?
    public var powerW: SensorSummary?
    public var temperatureC: SensorSummary?
    public var utilizationPercent: SensorSummary?
    public var memoryUsedMiB: SensorSummary?
    /// Active throttle reasons seen in any sample (`sw_power_cap`, `hw_thermal_slowdown`, …), sorted.
    public var throttleReasons: [String]

    public init(name: String? = nil, smClockMHz: SensorSummary? = nil, memoryClockMHz: SensorSummary? = nil, powerW: SensorSummary? = nil,
                temperatureC: SensorSummary? = nil, utilizationPercent: SensorSummary? = nil, memoryUsedMiB: SensorSummary? = nil,
                throttleReasons: [String] = []) {
        self.name = name
        self.smClockMHz = smClockMHz
        self.memoryClockMHz = memoryClockMHz
        self.powerW = powerW
        self.temperatureC = temperatureC
        self.utilizationPercent = utilizationPercent
        self.memoryUsedMiB = memoryUsedMiB
        self.throttleReasons = throttleReasons
    }

    /// Reasons that slow the GPU because of heat or power, the ones that spoil a figure.
    public static let spoilingReasons: Set<String> = [
        "sw_power_cap", "hw_slowdown", "hw_thermal_slowdown", "hw_power_brake_slowdown", "sw_thermal_slowdown",
    ]

    public var spoilingThrottleReasons: [String] { throttleReasons.filter(Self.spoilingReasons.contains) }
}
