import Foundation
import RoostCore

/// An engine that runs in a Python adapter process speaking JSON lines over
/// stdin/stdout: ONNX Runtime (CPU, CUDA, TensorRT) and OpenVINO share it, and
/// differ only in the adapter program. The adapter times each query itself, so
/// the pipe costs nothing; its process is the benchmark's own CPU user.
///
/// The protocol: the adapter says `{"ready": true, "version", "inputs": [{shape}],
/// "compile_ms"?, "device"?}` once the model is compiled, then answers
/// `set_inputs`, `run` (`{"times_ms": [...], "placement"?: {provider: nodes}}`)
/// and `outputs`; any failure is `{"error": "..."}`.
public final class PythonAdapterEngine: InferenceEngine {
    public let name: String
    public private(set) var version = "unknown"
    public private(set) var inputShapes: [[Int]] = []
    public let threads: Int
    /// Model compile / engine build time reported by the adapter (the cold start's engine part).
    public private(set) var compileMs: Double?
    /// The device the adapter bound (`cpu`, `cuda:0 NVIDIA H100 …`).
    public private(set) var device: String?
    /// Graph nodes per execution provider, from the adapter's first profiled run.
    public private(set) var placement: [String: Int]?
    private let process = Process()
    private let toAdapter: FileHandle
    private let fromAdapter: FileHandle
    private var buffer = Data()

    /// Starts `script` (the adapter's source) with `arguments` under `python`.
    public init(name: String, script: String, arguments: [String], threads: Int, python: String, environment: [String: String]? = nil) throws {
        self.name = name
        self.threads = threads
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("roost-\(name)-adapter-\(ProcessInfo.processInfo.processIdentifier).py")
        try Data(script.utf8).write(to: file)
        let input = Pipe(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [file.path] + arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        toAdapter = input.fileHandleForWriting
        fromAdapter = output.fileHandleForReading
        do { try process.run() } catch { throw RoostError.unsupported("cannot start the \(name) adapter with \(python): \(error.localizedDescription)") }
        let hello = try readReply()
        guard hello["ready"] as? Bool == true else { throw RoostError.unsupported("\(name) adapter failed: \(hello["error"] ?? hello)") }
        version = hello["version"] as? String ?? "unknown"
        inputShapes = (hello["inputs"] as? [[String: Any]] ?? []).map { ($0["shape"] as? [Int]) ?? [] }
        compileMs = hello["compile_ms"] as? Double
        device = hello["device"] as? String
    }

    deinit {
        try? toAdapter.close()
        if process.isRunning { process.terminate() }
    }

    public var arenaBytes: Int? { nil }
    public var helperProcessIDs: [Int32] { [process.processIdentifier] }

    public func prepare(inputs: [HostTensor]) throws {
        let payload = inputs.map { ["shape": $0.shape, "data": $0.data.withUnsafeBytes { Data($0) }.base64EncodedString()] as [String: Any] }
        _ = try call(["cmd": "set_inputs", "inputs": payload])
    }

    public func runOnce() throws { _ = try timedRuns(count: 1) }

    public func timedRuns(count: Int) throws -> [Double]? {
        let reply = try call(["cmd": "run", "count": count])
        guard let times = reply["times_ms"] as? [Double], times.count == count else { throw RoostError.io("\(name) adapter returned no timings") }
        if let p = reply["placement"] as? [String: Int] { placement = p }
        return times
    }

    public func outputs() throws -> [HostTensor] {
        let reply = try call(["cmd": "outputs"])
        return try (reply["outputs"] as? [[String: Any]] ?? []).map { o in
            guard let shape = o["shape"] as? [Int], let b64 = o["data"] as? String, let data = Data(base64Encoded: b64),
                  data.count == shape.reduce(1, *) * 4 else { throw RoostError.io("\(name) adapter returned a malformed output") }
            return HostTensor(shape: shape, data: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
    }

    public func describe(into environment: inout RunEnvironment) {
        environment.engine = name
        environment.engineVersion = version
        environment.blasThreads = threads
        environment.engineCompileMs = compileMs
        environment.device = device
        environment.placement = placement
    }

    private func call(_ request: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0A)
        try toAdapter.write(contentsOf: line)
        let reply = try readReply()
        if let error = reply["error"] as? String { throw RoostError.io("\(name): \(error)") }
        return reply
    }

    private func readReply() throws -> [String: Any] {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                guard let obj = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { throw RoostError.io("bad \(name) adapter reply") }
                return obj
            }
            let chunk = fromAdapter.availableData
            if chunk.isEmpty { throw RoostError.io("\(name) adapter exited unexpectedly") }
            buffer.append(chunk)
        }
    }

    /// The Python adapters run under: `ROOST_ORT_PYTHON`, else the project's `.venv`, else `python3`.
    public static func python() -> String {
        if let p = ProcessInfo.processInfo.environment["ROOST_ORT_PYTHON"], !p.isEmpty { return p }
        let venv = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return ProcessRunner.which("python3") ?? "/usr/bin/python3"
    }

    /// The engine's version on this machine (its descriptor's probe), or nil when it cannot run here.
    public static func availableVersion(_ engine: EngineDescriptor, python: String = PythonAdapterEngine.python()) -> String? {
        guard let code = engine.versionProbe,
              let r = try? ProcessRunner().run(python, ["-c", code], timeout: 60), r.succeeded else { return nil }
        let v = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }
}
