import Foundation
import RoostCore
import RoostProbe

/// Builds the engine a worker request names: the one place that maps an
/// `EngineCatalog` name to its adapter, so a new engine is a descriptor and a case here.
public enum EngineFactory {
    public static func make(_ request: WorkerRequest) throws -> any InferenceEngine {
        switch request.engine {
        case EngineCatalog.native.name:
            let data = try Data(contentsOf: URL(fileURLWithPath: request.artifactPath))
            let artifact = try ArtifactCodec.decode(data)
            if let expected = request.expectedTargetSignature, artifact.header.targetSignature != expected {
                throw RoostError.invalidArtifact("artifact is for target \(artifact.header.targetSignature) (\(artifact.header.target.label)), the job expects \(expected)")
            }
            try TargetCompatibility.check(artifact.header, host: HardwareProbe().probe())
            return try NativeEngine(artifact: artifact)
        case EngineCatalog.onnxRuntime.name:
            return try ONNXRuntimeEngine.start(modelPath: request.artifactPath, threads: request.threads, provider: .cpu)
        case EngineCatalog.onnxRuntimeCUDA.name:
            return try ONNXRuntimeEngine.start(modelPath: request.artifactPath, threads: request.threads, provider: .cuda)
        case EngineCatalog.onnxRuntimeTensorRT.name:
            return try ONNXRuntimeEngine.start(modelPath: request.artifactPath, threads: request.threads, provider: .tensorrt)
        case EngineCatalog.openVINO.name:
            return try OpenVINOEngine.start(modelPath: request.artifactPath, threads: request.threads)
        default:
            throw RoostError.unsupported("engine '\(request.engine)' (known: \(EngineCatalog.names.joined(separator: ", ")))")
        }
    }
}
