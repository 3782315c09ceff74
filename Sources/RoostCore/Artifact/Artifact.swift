import Foundation

/// A target-specialized, content-addressed compiled model.
///
/// Layout (little endian): magic `ROOSTART`, format version (u32), header length
/// (u32) + header JSON, plan length (u64) + plan JSON, zero padding to 64 bytes,
/// weights length (u64) + float32 weights, then the sha256 of everything before.
/// Encoding is deterministic: equal model and target give byte-identical files.
public struct Artifact: Sendable, Equatable {
    public static let magic = Data("ROOSTART".utf8)
    public static let formatVersion: UInt32 = 1

    public var header: ArtifactHeader
    public var plan: ExecutionPlan
    public var weights: [Float]

    public init(header: ArtifactHeader, plan: ExecutionPlan, weights: [Float]) {
        self.header = header
        self.plan = plan
        self.weights = weights
    }
}

/// Identity and provenance of an artifact, readable without decoding the plan.
public struct ArtifactHeader: Codable, Sendable, Equatable {
    public var formatVersion: UInt32
    public var compilerVersion: String
    public var target: TargetSpec
    public var targetSignature: String
    public var modelSHA256: String
    public var modelName: String
    /// What the compiler decided for this target, e.g. `conv.algorithm=im2col`.
    public var decisions: [String: String]

    public init(compilerVersion: String, target: TargetSpec, modelSHA256: String, modelName: String, decisions: [String: String] = [:]) {
        self.formatVersion = Artifact.formatVersion
        self.compilerVersion = compilerVersion
        self.target = target
        self.targetSignature = target.signature
        self.modelSHA256 = modelSHA256
        self.modelName = modelName
        self.decisions = decisions
    }
}
