import Foundation

/// An operator-written description of an agent (`Agents/*.json`): how it is tagged,
/// what an hour of it costs, and how much of the machine it may use.
public struct AgentProfile: Codable, Sendable, Equatable {
    public var description: String?
    public var tags: [String: String]
    /// Price of the hardware per hour in USD, for cost per million inferences.
    public var pricePerHour: Double?
    /// Restrict the agent (and its workers) to this many CPUs, via affinity.
    public var cpus: Int?
    /// Or to exactly these CPU ids.
    public var cpuList: [Int]?
    public var engines: [String]?
    /// Address-space cap for each worker child, in MiB: a model that needs more
    /// kills its worker (an `error` result), never the agent or the host.
    public var workerMemoryLimitMB: Int?

    public init(description: String? = nil, tags: [String: String] = [:], pricePerHour: Double? = nil, cpus: Int? = nil, cpuList: [Int]? = nil, engines: [String]? = nil,
                workerMemoryLimitMB: Int? = nil) {
        self.description = description
        self.tags = tags
        self.pricePerHour = pricePerHour
        self.cpus = cpus
        self.cpuList = cpuList
        self.engines = engines
        self.workerMemoryLimitMB = workerMemoryLimitMB
    }

    public static func load(from url: URL) throws -> AgentProfile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RoostError.io("cannot read agent profile \(url.path): \(error.localizedDescription)")
        }
        do { return try CanonicalJSON.decode(AgentProfile.self, from: data) } catch {
            throw RoostError.invalidArgument("agent profile \(url.path) is not valid JSON for a profile: \(error)")
        }
    }
}
