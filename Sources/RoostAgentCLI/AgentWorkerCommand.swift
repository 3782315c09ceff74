import ArgumentParser
import Foundation
import RoostBench
import RoostCore
import RoostProbe
import RoostRuntime

/// The worker child process: runs one benchmark and writes its result file.
/// Started by the agent, never by hand.
public struct AgentWorkerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run one benchmark job (started by the agent).", shouldDisplay: false)

    @Option(help: "Worker request JSON.") var request: String
    @Option(help: "Where to write the result JSON.") var result: String
    @Option(help: "Cap this process's address space (MiB) before loading the model.") var memoryLimitMB: Int?
    @Option(help: "Benchmark on these CPUs (e.g. 0,2-3): the agent's own threads run elsewhere.") var cpus: String?

    public init() {}

    public func run() throws {
        if let cpus {
            let list = CPUListParser.parse(cpus)
            guard !list.isEmpty else { throw ValidationError("--cpus '\(cpus)' names no CPU") }
            do { try CPUAffinity.restrict(to: list) } catch { throw ValidationError("cannot pin the worker to CPUs \(cpus): \(error)") }
        }
        if let memoryLimitMB {
            guard memoryLimitMB > 0 else { throw ValidationError("--memory-limit-mb must be positive") }
            try AddressSpaceLimit.applyBeforeRunningModels(megabytes: memoryLimitMB)
        }
        let req: WorkerRequest
        do { req = try CanonicalJSON.decode(WorkerRequest.self, from: Data(contentsOf: URL(fileURLWithPath: request))) } catch {
            throw ValidationError("cannot read worker request \(request): \(error)")
        }
        let outcome = Worker.run(req)
        try CanonicalJSON.encode(outcome).write(to: URL(fileURLWithPath: result))
    }
}
