import Foundation
import RoostCore
import RoostRuntime

/// Roost's own runtime executing a compiled artifact.
public final class NativeEngine: InferenceEngine {
    public let name = "native"
    public let version = RoostVersion.roost
    public let session: InferenceSession

    public init(artifact: Artifact) throws {
        OpenBLAS.setThreads(artifact.header.target.threads)
        session = try InferenceSession(artifact: artifact)
    }

    public var arenaBytes: Int? { session.arenaBytes }
    public var inputShapes: [[Int]] { session.inputShapes }
    public func prepare(inputs: [HostTensor]) throws { try session.setInputs(inputs) }
    public func runOnce() throws { session.execute() }
    public func outputs() throws -> [HostTensor] { session.readOutputs() }

    public func describe(into environment: inout RunEnvironment) {
        environment.engine = name
        environment.engineVersion = version
        environment.compilerVersion = session.artifact.header.compilerVersion
        environment.blasCore = OpenBLAS.coreName
        environment.blasThreads = OpenBLAS.threads
        environment.arenaBytes = session.arenaBytes
    }
}
