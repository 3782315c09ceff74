import Foundation
import RoostCore

/// ONNX Runtime through a small Python adapter process speaking JSON lines over
/// stdin/stdout. The adapter times each query itself, so the pipe costs nothing.
public final class ONNXRuntimeEngine: InferenceEngine {
    public let name = "onnxruntime"
    public private(set) var version = "unknown"
    public private(set) var inputShapes: [[Int]] = []
    public let threads: Int
    private let process = Process()
    private let toAdapter: FileHandle
    private let fromAdapter: FileHandle
    private var buffer = Data()

    /// Starts the adapter on `model` (an ONNX file) with `threads` intra-op threads.
    public init(modelPath: String, threads: Int, python: String = ONNXRuntimeEngine.python()) throws {
        self.threads = threads
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("roost-ort-adapter-\(ProcessInfo.processInfo.processIdentifier).py")
        try Data(ONNXRuntimeAdapter.source.utf8).write(to: script)
        let input = Pipe(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, modelPath, String(threads)]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        toAdapter = input.fileHandleForWriting
        fromAdapter = output.fileHandleForReading
        do { try process.run() } catch { throw RoostError.unsupported("cannot start ONNX Runtime adapter with \(python): \(error.localizedDescription)") }
        let hello = try readReply()
        guard hello["ready"] as? Bool == true else { throw RoostError.unsupported("ONNX Runtime adapter failed: \(hello["error"] ?? hello)") }
        version = hello["version"] as? String ?? "unknown"
        inputShapes = (hello["inputs"] as? [[String: Any]] ?? []).map { ($0["shape"] as? [Int]) ?? [] }
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
        guard let times = reply["times_ms"] as? [Double], times.count == count else { throw RoostError.io("ONNX Runtime adapter returned no timings") }
        return times
    }

    public func outputs() throws -> [HostTensor] {
        let reply = try call(["cmd": "outputs"])
        return try (reply["outputs"] as? [[String: Any]] ?? []).map { o in
            guard let shape = o["shape"] as? [Int], let b64 = o["data"] as? String, let data = Data(base64Encoded: b64),
                  data.count == shape.reduce(1, *) * 4 else { throw RoostError.io("ONNX Runtime adapter returned a malformed output") }
            return HostTensor(shape: shape, data: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
    }

    public func describe(into environment: inout RunEnvironment) {
        environment.engine = name
        environment.engineVersion = version
        environment.blasThreads = threads
    }

    private func call(_ request: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0A)
        try toAdapter.write(contentsOf: line)
        let reply = try readReply()
        if let error = reply["error"] as? String { throw RoostError.io("ONNX Runtime: \(error)") }
        return reply
    }

    private func readReply() throws -> [String: Any] {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                guard let obj = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { throw RoostError.io("bad adapter reply") }
                return obj
            }
            let chunk = fromAdapter.availableData
            if chunk.isEmpty { throw RoostError.io("ONNX Runtime adapter exited unexpectedly") }
            buffer.append(chunk)
        }
    }

    /// The Python with onnxruntime: `ROOST_ORT_PYTHON`, else the project's `.venv`, else `python3`.
    public static func python() -> String {
        if let p = ProcessInfo.processInfo.environment["ROOST_ORT_PYTHON"], !p.isEmpty { return p }
        let venv = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return ProcessRunner.which("python3") ?? "/usr/bin/python3"
    }

    /// The installed onnxruntime version, or nil when this machine cannot run the engine.
    public static func availableVersion(python: String = ONNXRuntimeEngine.python()) -> String? {
        guard let r = try? ProcessRunner().run(python, ["-c", "import onnxruntime; print(onnxruntime.__version__)"], timeout: 30), r.succeeded else { return nil }
        let v = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }
}

/// The adapter program. Shipped inside the binary so agents need nothing but a
/// Python with `onnxruntime` and `numpy`.
enum ONNXRuntimeAdapter {
    static let source = #"""
import base64, json, sys, time
try:
    import numpy as np
    import onnxruntime as ort
except Exception as e:
    print(json.dumps({"ready": False, "error": "onnxruntime not importable: %s" % e}), flush=True)
    sys.exit(1)

def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n"); sys.stdout.flush()

model, threads = sys.argv[1], int(sys.argv[2])
try:
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
except Exception as e:
    reply({"ready": False, "error": str(e)}); sys.exit(1)
inputs_meta = sess.get_inputs()
reply({"ready": True, "version": ort.__version__,
       "inputs": [{"name": i.name, "shape": [d if isinstance(d, int) else 1 for d in i.shape]} for i in inputs_meta]})
feed, last = {}, None
for line in sys.stdin:
    try:
        req = json.loads(line)
        cmd = req.get("cmd")
        if cmd == "set_inputs":
            feed = {}
            for meta, t in zip(inputs_meta, req["inputs"]):
                arr = np.frombuffer(base64.b64decode(t["data"]), dtype=np.float32).reshape(t["shape"])
                if "int64" in meta.type: arr = arr.astype(np.int64)
                elif "int32" in meta.type: arr = arr.astype(np.int32)
                feed[meta.name] = arr
            reply({"ok": True})
        elif cmd == "run":
            times = []
            for _ in range(int(req.get("count", 1))):
                t0 = time.perf_counter_ns()
                last = sess.run(None, feed)
                times.append((time.perf_counter_ns() - t0) / 1e6)
            reply({"times_ms": times})
        elif cmd == "outputs":
            outs = [] if last is None else last
            reply({"outputs": [{"shape": list(o.shape), "data": base64.b64encode(np.ascontiguousarray(o, dtype=np.float32).tobytes()).decode()} for o in outs]})
        else:
            reply({"error": "unknown command %r" % cmd})
    except Exception as e:
        reply({"error": str(e)})
"""#
}
