import Foundation
import RoostCore

/// ONNX Runtime through the Python adapter (`PythonAdapterEngine`): the CPU
/// provider (`onnxruntime`), or on NVIDIA GPUs the CUDA (`onnxruntime-cuda`)
/// and TensorRT (`onnxruntime-tensorrt`) execution providers of `onnxruntime-gpu`.
public enum ONNXRuntimeEngine {
    /// Which execution provider the adapter binds; the raw value is its argument.
    public enum Provider: String, Sendable {
        case cpu, cuda, tensorrt

        public var engine: EngineDescriptor {
            switch self {
            case .cpu: EngineCatalog.onnxRuntime
            case .cuda: EngineCatalog.onnxRuntimeCUDA
            case .tensorrt: EngineCatalog.onnxRuntimeTensorRT
            }
        }
    }

    /// Starts the adapter on `modelPath` (an ONNX file) with `threads` intra-op threads.
    /// GPU providers warm up for `warmupSeconds` inside the adapter before it says
    /// ready (TensorRT builds its engine on the first runs), and that time is the cold start.
    public static func start(modelPath: String, threads: Int, provider: Provider = .cpu,
                             python: String = PythonAdapterEngine.python()) throws -> PythonAdapterEngine {
        try PythonAdapterEngine(name: provider.engine.name, script: ONNXRuntimeAdapter.source,
                                arguments: [modelPath, String(threads), provider.rawValue], threads: threads, python: python)
    }

    public static func python() -> String { PythonAdapterEngine.python() }

    /// The installed onnxruntime version, or nil when this machine cannot run the CPU engine.
    public static func availableVersion(python: String = PythonAdapterEngine.python()) -> String? {
        PythonAdapterEngine.availableVersion(EngineCatalog.onnxRuntime, python: python)
    }
}

/// The adapter program. Shipped inside the binary so agents need nothing but a
/// Python with `onnxruntime` (or `onnxruntime-gpu`) and `numpy`.
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
kind = sys.argv[3] if len(sys.argv) > 3 else "cpu"
# GPU providers keep CPU as the place for nodes they cannot take; the first
# run is profiled so a node placed there is reported, never silent.
WANTED = {"cpu": "CPUExecutionProvider", "cuda": "CUDAExecutionProvider", "tensorrt": "TensorrtExecutionProvider"}[kind]
providers = {"cpu": ["CPUExecutionProvider"],
             "cuda": ["CUDAExecutionProvider", "CPUExecutionProvider"],
             "tensorrt": [("TensorrtExecutionProvider", {"trt_engine_cache_enable": "False"}), "CUDAExecutionProvider", "CPUExecutionProvider"]}[kind]
try:
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if kind != "cpu":
        if WANTED not in ort.get_available_providers():
            reply({"ready": False, "error": "%s is not available in this onnxruntime (%s); install onnxruntime-gpu" % (WANTED, ", ".join(ort.get_available_providers()))}); sys.exit(1)
        so.enable_profiling = True
    t0 = time.perf_counter_ns()
    sess = ort.InferenceSession(model, so, providers=providers)
    compile_ms = (time.perf_counter_ns() - t0) / 1e6
    if WANTED not in sess.get_providers():
        reply({"ready": False, "error": "session fell back to %s; %s was not bound" % (", ".join(sess.get_providers()), WANTED)}); sys.exit(1)
except Exception as e:
    reply({"ready": False, "error": str(e)}); sys.exit(1)
inputs_meta = sess.get_inputs()
device = "cpu"
if kind != "cpu":
    device = "cuda:0"
reply({"ready": True, "version": ort.__version__.split("+")[0], "compile_ms": compile_ms, "device": device,
       "inputs": [{"name": i.name, "shape": [d if isinstance(d, int) else 1 for d in i.shape]} for i in inputs_meta]})

def placement():
    """Nodes per provider from the profile of the runs so far (GPU only)."""
    counts = {}
    with open(sess.end_profiling()) as f:
        for ev in json.load(f):
            if ev.get("cat") == "Node" and ev.get("name", "").endswith("_kernel_time"):
                p = ev.get("args", {}).get("provider", "unknown")
                counts[p] = counts.get(p, 0) + 1
    return counts

feed, last, profiled = {}, None, kind == "cpu"
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
            # sess.run returns host arrays, so each query ends with the device
            # synchronized and its outputs copied back: device-side time per query.
            for _ in range(int(req.get("count", 1))):
                t0 = time.perf_counter_ns()
                last = sess.run(None, feed)
                times.append((time.perf_counter_ns() - t0) / 1e6)
            out = {"times_ms": times}
            if not profiled:
                profiled = True
                counts = placement()
                out["placement"] = counts
                if counts and set(counts) <= {"CPUExecutionProvider"}:
                    reply({"error": "all %d nodes of the model ran on CPUExecutionProvider, none on %s" % (sum(counts.values()), WANTED)}); continue
            reply(out)
        elif cmd == "outputs":
            outs = [] if last is None else last
            reply({"outputs": [{"shape": list(o.shape), "data": base64.b64encode(np.ascontiguousarray(o, dtype=np.float32).tobytes()).decode()} for o in outs]})
        else:
            reply({"error": "unknown command %r" % cmd})
    except Exception as e:
        reply({"error": str(e)})
"""#
}
