import Foundation
import RoostCore

/// Runs `ReferenceBuilder` in a child process with a capped address space: a
/// model whose arena is huge (or that hangs) costs the child, never the
/// scheduler's memory or its other requests.
public struct ReferenceWorker: Sendable {
    /// The child's command line before its options, e.g. `[roost, "scheduler", "reference"]`.
    public var command: [String]
    public var memoryLimitMB: Int
    public var timeoutSeconds: Double

    public init(command: [String], memoryLimitMB: Int = 2048, timeoutSeconds: Double = 300) {
        self.command = command
        self.memoryLimitMB = memoryLimitMB
        self.timeoutSeconds = timeoutSeconds
    }

    /// One OpenBLAS thread: a reference needs the right numbers, not speed,
    /// and every OpenBLAS thread maps its own buffer inside the child's cap.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        return env
    }

    /// The reference for `content`, or an error saying why the child gave none.
    func build(model content: Data, name: String) async throws -> ReferenceData {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-reference-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model.onnx"), out = dir.appendingPathComponent("reference.json")
        let log = dir.appendingPathComponent("stderr.txt")
        try content.write(to: model)
        let child = try ChildProcess(command[0], Array(command.dropFirst()) + [
            "--model", model.path, "--name", name, "--out", out.path, "--memory-limit-mb", String(memoryLimitMB),
        ], environment: Self.environment, stderr: log)
        guard let exit = await child.exit(within: timeoutSeconds) else {
            child.signal(SIGKILL)
            child.wait()
            throw RoostError.io("reference worker timed out after \(Int(timeoutSeconds)) s")
        }
        let tail = TextTail.of(log, limit: 400)
        guard exit == .exited(0), let data = try? Data(contentsOf: out) else {
            throw RoostError.io("reference worker ended with \(exit) (memory limit \(memoryLimitMB) MiB)\(tail.isEmpty ? "" : ": \(tail)")")
        }
        return try CanonicalJSON.decode(ReferenceData.self, from: data)
    }
}
