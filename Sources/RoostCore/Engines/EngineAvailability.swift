/// The queue-time check: for each engine a benchmark asks for, does some
/// matching agent advertise it? When none does, the message names the engine,
/// what it needs, and what each matching agent lacks, so the user learns at
/// `bench queue` that the farm has no NVIDIA GPU, not from a failed job later.
public enum EngineAvailability {
    public static func missing(engines: [String], agents: [(name: String, hardware: HardwareProfile)]) -> String? {
        var problems: [String] = []
        for name in engines {
            guard !agents.contains(where: { $0.hardware.engines.contains(name) }) else { continue }
            guard let engine = EngineCatalog.descriptor(named: name) else { problems.append("unknown engine \(name)"); continue }
            let lacks = agents.prefix(5).map { agent in
                "\(agent.name): " + (engine.missingHardware(on: agent.hardware) ?? "\(engine.pythonPackage ?? name) not found by the agent")
            }
            let more = agents.count > 5 ? "; \(agents.count - 5) more" : ""
            problems.append("no matching agent offers engine \(name), which needs \(engine.requirements) (\(lacks.joined(separator: "; "))\(more))")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
