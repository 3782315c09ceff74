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

    public init(command: [String], scratch: URL, memoryLimitMB: Int? = nil) {
        self.command = command
        self.scratch = scratch
        self.memoryLimitMB = memoryLimitMB
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
        let child = try ChildProcess(
            command[0], Array(command.dropFirst()) + ["--request", requestFile.path, "--result", resultFile.path] + limit,
            environment: Self.environment(for: target), stderr: stderrFile)
        let exit = await child.exit(within: request.spec.timeoutSeconds)
        guard let exit else {
            child.signal(SIGKILL)
            child.wait()
            return .failure(Task.isCancelled ? "worker stopped: job cancelled" : "worker timed out after \(Int(request.spec.timeoutSeconds)) s and was killed")
        }
        let stderrTail = Self.tail(of: stderrFile)
        if case .signaled(let sig) = exit {
            return .failure("worker crashed with signal \(sig)\(stderrTail.isEmpty ? "" : ": \(stderrTail)")")
        }
        guard let data = try? Data(contentsOf: resultFile), let result = try? CanonicalJSON.decode(BenchmarkResult.self, from: data) else {
            return .failure("worker exited (\(exit)) without a result\(stderrTail.isEmpty ? "" : ": \(stderrTail)")")
        }
        return result
    }

    static func environment(for target: TargetSpec) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        if let core = target.blasCoreType { env["OPENBLAS_CORETYPE"] = core } else { env.removeValue(forKey: "OPENBLAS_CORETYPE") }
        env["OPENBLAS_NUM_THREADS"] = String(target.threads)
        return env
    }

    static func tail(of file: URL, limit: Int = 800) -> String {
        guard let data = try? Data(contentsOf: file) else { return "" }
        return String(decoding: data.suffix(limit), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
