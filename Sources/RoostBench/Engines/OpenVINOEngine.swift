import Foundation
import RoostCore

/// Intel's OpenVINO runtime on the CPU, through the same Python adapter
/// protocol as ONNX Runtime (`PythonAdapterEngine`): the adapter times each
/// query, pins OpenVINO to the target's thread count with its own properties
/// (`INFERENCE_NUM_THREADS`, one stream, latency hint) and reports the model's
/// compile time, which is the engine's part of the cold start. Precision is
/// pinned to f32 (`INFERENCE_PRECISION_HINT`): on CPUs with AVX-512 BF16 or AMX
/// OpenVINO otherwise runs the f32 model in bfloat16, which fails the accuracy
/// gate (max abs error 0.03–0.04 on the shared models, Zen 4) and is not the
/// model the user asked to measure.
public enum OpenVINOEngine {
    public static func start(modelPath: String, threads: Int, python: String = PythonAdapterEngine.python()) throws -> PythonAdapterEngine {
        try PythonAdapterEngine(name: EngineCatalog.openVINO.name, script: OpenVINOAdapter.source,
                                arguments: [modelPath, String(threads)], threads: threads, python: python)
    }

    public static func availableVersion(python: String = PythonAdapterEngine.python()) -> String? {
        PythonAdapterEngine.availableVersion(EngineCatalog.openVINO, python: python)
    }
}

/// The OpenVINO adapter program, shipped inside the binary.
enum OpenVINOAdapter {
    static let source = #"""
import base64, json, sys, time
try:
    import numpy as np
    import openvino as ov
except Exception as e:
    print(json.dumps({"ready": False, "error": "openvino not importable: %s" % e}), flush=True)
    sys.exit(1)

def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n"); sys.stdout.flush()

model_path, threads = sys.argv[1], int(sys.argv[2])
try:
    core = ov.Core()
    t0 = time.perf_counter_ns()
    compiled = core.compile_model(core.read_model(model_path), "CPU",
                                  {"INFERENCE_NUM_THREADS": str(threads), "NUM_STREAMS": "1", "PERFORMANCE_HINT": "LATENCY",
                                   "INFERENCE_PRECISION_HINT": "f32"})
    compile_ms = (time.perf_counter_ns() - t0) / 1e6
    request = compiled.create_infer_request()
except Exception as e:
    reply({"ready": False, "error": str(e)}); sys.exit(1)
ports = compiled.inputs
def static_shape(port):
    return [d.get_length() if d.is_static else 1 for d in port.get_partial_shape()]
reply({"ready": True, "version": ov.__version__.split("-")[0], "compile_ms": compile_ms, "device": "cpu",
       "threads": int(compiled.get_property("INFERENCE_NUM_THREADS")),
       "inputs": [{"name": p.get_any_name(), "shape": static_shape(p)} for p in ports]})
feed, ran = {}, False
for line in sys.stdin:
    try:
        req = json.loads(line)
        cmd = req.get("cmd")
        if cmd == "set_inputs":
            feed = {}
            for i, (port, t) in enumerate(zip(ports, req["inputs"])):
                arr = np.frombuffer(base64.b64decode(t["data"]), dtype=np.float32).reshape(t["shape"])
                feed[i] = arr.astype(port.get_element_type().to_dtype())
            reply({"ok": True})
        elif cmd == "run":
            times = []
            for _ in range(int(req.get("count", 1))):
                t0 = time.perf_counter_ns()
                request.infer(feed)
                times.append((time.perf_counter_ns() - t0) / 1e6)
            ran = True
            reply({"times_ms": times})
        elif cmd == "outputs":
            outs = [request.get_output_tensor(i).data for i in range(len(compiled.outputs))] if ran else []
            reply({"outputs": [{"shape": list(o.shape), "data": base64.b64encode(np.ascontiguousarray(o, dtype=np.float32).tobytes()).decode()} for o in outs]})
        else:
            reply({"error": "unknown command %r" % cmd})
    except Exception as e:
        reply({"error": str(e)})
"""#
}
