import Foundation
import RoostCompiler
import RoostCore
import RoostONNX
import RoostRuntime

/// The scheduler's own accuracy reference for a model that came without test
/// data: the model once through a generic single-threaded build on seeded
/// inputs, so every agent's numbers pass the same gate.
public enum ReferenceBuilder {
    public static func build(model content: Data, name: String) throws -> ReferenceData {
        let generic = TargetSpec(isa: .generic, blasCoreType: nil, threads: 1)
        let artifact = try Compiler().compile(try ONNXModel(data: content), name: name, target: generic)
        let session = try InferenceSession(artifact: artifact)
        let inputs = session.inputShapes.enumerated().map { i, shape in HostTensor.seeded(shape: shape, seed: 42 &+ UInt64(i)) }
        let outputs = try session.run(inputs)
        return ReferenceData(
            source: "scheduler",
            inputs: zip(artifact.plan.inputs, inputs).map { WireTensor(name: $0.name, tensor: $1) },
            outputs: zip(artifact.plan.outputs, outputs).map { WireTensor(name: $0.name, tensor: $1) })
    }
}
