import RoostBench
import RoostCore

/// Which engines this agent can offer: the native runtime always, ONNX Runtime
/// when a Python with `onnxruntime` is available to the adapter.
public enum EngineDiscovery {
    public static func available() -> [String] {
        ["native"] + (ONNXRuntimeEngine.availableVersion() != nil ? ["onnxruntime"] : [])
    }

    /// The probed profile with the engines filled in (and limited by the agent profile's list).
    public static func complete(_ hardware: HardwareProfile, profile: AgentProfile?) -> HardwareProfile {
        var hw = hardware
        let found = available()
        hw.engines = profile?.engines.map { wanted in found.filter(wanted.contains) } ?? found
        if hw.engines.isEmpty { hw.engines = ["native"] }
        return hw
    }
}
