/// Every engine Roost knows how to drive. Adding an engine is one descriptor
/// here and one adapter in RoostBench (`EngineFactory`); the scheduler, the
/// agent's discovery and the CLI read this list, so they never disagree.
public enum EngineCatalog {
    public static let native = EngineDescriptor(name: "native", device: .cpu, runsONNX: false, dtypes: ["float32"])
    public static let onnxRuntime = EngineDescriptor(name: "onnxruntime", device: .cpu, pythonModule: "onnxruntime", pythonPackage: "onnxruntime")
    public static let openVINO = EngineDescriptor(name: "openvino", device: .cpu, pythonModule: "openvino", pythonPackage: "openvino")
    public static let onnxRuntimeCUDA = EngineDescriptor(name: "onnxruntime-cuda", device: .gpu, pythonModule: "onnxruntime", pythonPackage: "onnxruntime-gpu",
                                                         provider: "CUDAExecutionProvider", gpuVendor: "nvidia")
    public static let onnxRuntimeTensorRT = EngineDescriptor(name: "onnxruntime-tensorrt", device: .gpu, pythonModule: "onnxruntime", pythonPackage: "onnxruntime-gpu",
                                                             provider: "TensorrtExecutionProvider", gpuVendor: "nvidia")

    public static let all = [native, onnxRuntime, openVINO, onnxRuntimeCUDA, onnxRuntimeTensorRT]
    public static var names: [String] { all.map(\.name) }

    public static func descriptor(named name: String) -> EngineDescriptor? { all.first { $0.name == name } }
}
