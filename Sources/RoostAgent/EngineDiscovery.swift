import RoostBench
import RoostCore

/// Which engines this agent can offer, and their versions: every engine in
/// `EngineCatalog` whose needs this machine meets — the probe found its GPU
/// vendor, and the adapters' Python imports its package (with its execution
/// provider built in). The native runtime is always there.
public enum EngineDiscovery {
    /// Engine name → version, for the engines that can run on `hardware`.
    public static func available(on hardware: HardwareProfile,
                                 version: (EngineDescriptor) -> String? = { PythonAdapterEngine.availableVersion($0) }) -> [String: String] {
        var found: [String: String] = [:]
        for engine in EngineCatalog.all {
            if engine.name == EngineCatalog.native.name { found[engine.name] = RoostVersion.roost; continue }
            guard engine.missingHardware(on: hardware) == nil, let v = version(engine) else { continue }
            found[engine.name] = v
        }
        return found
    }

    /// The probed profile with the engines and their versions filled in (and
    /// limited by the agent profile's list), in the catalog's order.
    public static func complete(_ hardware: HardwareProfile, profile: AgentProfile?,
                                version: (EngineDescriptor) -> String? = { PythonAdapterEngine.availableVersion($0) }) -> HardwareProfile {
        var hw = hardware
        let found = available(on: hardware, version: version)
        let names = EngineCatalog.names.filter { found[$0] != nil }
        hw.engines = profile?.engines.map { wanted in names.filter(wanted.contains) } ?? names
        if hw.engines.isEmpty { hw.engines = ["native"] }
        hw.engineVersions = found.filter { hw.engines.contains($0.key) }
        return hw
    }
}
