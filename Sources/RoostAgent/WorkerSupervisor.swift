import Foundation
import RoostBench
import RoostCore

/// Runs each job in a child process, so a model that crashes or hangs the engine
/// costs one error result, never the agent. The child gets the BLAS kernel
/// family through its environment, because OpenBLAS reads it only at load time.
public struct WorkerSupervisor: Sendable {
    /// The program and leading arguments that start a worker (`roost agent worker`).
    public var command: [String]
    public var scratch: URL
    /// Passed to each worker, which caps its own address space before loading anything.
    public var memoryLimitMB: Int?
    /// The CPUs a worker benchmarks on, when the agent's own threads live elsewhere
    /// (`AgentSetup`): the worker pins itself there first thing. Nil: it inherits the agent's.
    public var benchmarkCPUs: [Int]?

    public init(command: [String], scratch: URL, memoryLimitMB: Int? = nil, benchmarkCPUs: [Int]? = nil) {
        self.command = command
        self.scratch = scratch
        self.memoryLimitMB = memoryLimitMB
        self.benchmarkCPUs = benchmarkCPUs
    }

    public func run(_ request: WorkerRequest, target: TargetSpec) async -> BenchmarkResult {
        do {
            return try await launch(request, target: target)
        } catch {
            return .failure("worker could not run: \(error)")
        }
    }

    private func launch(_ request: WorkerRequest, target: TargetSpec) async throws -> BenchmarkResult {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let id = UUID().uuidString
        let requestFile = scratch.appendingPathComponent("job-\(id).json")
        let resultFile = scratch.appendingPathComponent("result-\(id).json")
        let stderrFile = scratch.appendingPathComponent("stderr-\(id).txt")
        defer { for f in [requestFile, resultFile, stderrFile] { try? FileManager.default.removeItem(at: f) } }
        try CanonicalJSON.encode(request).write(to: requestFile)

        let limit = memoryLimitMB.map { ["--memory-limit-mb", String($0)] } ?? []
        let pin = benchmarkCPUs.map { ["--cpus", $0.map(String.init).joined(separator: ",")] } ?? []
        let child = try ChildProcess(
            command[0], Array(command.dropFirst()) + ["--request", requestFile.path, "--result", resultFile.path] + limit + pin,
            environment: Self.environment(for: target), stderr: stderrFile)
        let agentCPUBefore = Self.ownCPUSeconds()
        let exit = await child.exit(within: request.spec.timeoutSeconds)
        guard let exit else {
            child.signal(SIGKILL)
            child.wait()
            return .failure(Task.isCancelled ? "worker stopped: job cancelled" : "worker timed out after \(Int(request.spec.timeoutSeconds)) s and was killed")
        }
        let stderrTail = TextTail.of(stderrFile)
        if case .signaled(let sig) = exit {
            return .failure("worker crashed with signal \(sig)\(stderrTail.isEmpty ? "" : ": \(stderrTail)")")
        }
        guard let data = try? Data(contentsOf: resultFile), let result = try? CanonicalJSON.decode(BenchmarkResult.self, from: data) else {
            return .failure("worker exited (\(exit)) without a result\(stderrTail.isEmpty ? "" : ": \(stderrTail)")")
        }
        var measured = result
        measured.environment.agentCPUSeconds = max(0, Self.ownCPUSeconds() - agentCPUBefore)
        return measured
    }

    /// User + system CPU seconds of this (the agent) process, all threads, not its children.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func environment(for target: TargetSpec) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        if let core = target.blasCoreType { env["OPENBLAS_CORETYPE"] = core } else { env.removeValue(forKey: "OPENBLAS_CORETYPE") }
        env["OPENBLAS_NUM_THREADS"] = String(target.threads)
        return env
    }
}
