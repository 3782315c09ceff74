import Foundation
import RoostCore
import RoostONNX

/// ONNX model → target-specialized artifact. Deterministic: the same model bytes,
/// target and compiler version always give byte-identical artifacts.
public struct Compiler: Sendable {
    public var registry: OperatorRegistry
    public init(registry: OperatorRegistry = .standard) { self.registry = registry }

    /// The optimization pipeline, in order. Constant folding runs first (it infers
    /// shapes as it goes, which the fusions read); shape inference runs again
    /// before activation/residual fusion (which compares shapes) and after the
    /// rewrites so fused nodes get their final shapes; conv specialization needs them all.
    public var passes: [any GraphPass] {
        [
            IdentityElimination(), ConstantFolding(registry: registry), DeadNodeElimination(), BatchNormFolding(),
            GeluFusion(), MatMulOperandFusion(), DataMovementFusion(registry: registry), MatMulBiasFusion(),
            ShapeInference(registry: registry), ActivationFusion(), ShapeInference(registry: registry), ConvSpecialization(),
        ]
    }

    public func compile(_ model: ONNXModel, name: String, target: TargetSpec, inputShapes: [String: [Int]] = [:]) throws -> Artifact {
        var graph = try ONNXImporter(inputShapes: inputShapes).importGraph(model)
        // Check operator support before any rewrite so the error names the original node.
        for node in graph.nodes where !IdentityElimination.removable.contains(node.opType) {
            _ = try registry.lowering(for: node, opset: graph.opset)
        }
        for pass in passes { try pass.run(&graph) }
        let (plan, weights) = try PlanBuilder(registry: registry).build(graph)
        let header = ArtifactHeader(
            compilerVersion: RoostVersion.compiler, target: target, modelSHA256: model.sha256, modelName: name,
            decisions: decisions(for: target, plan: plan))
        return Artifact(header: header, plan: plan, weights: weights)
    }

    public func compile(modelAt url: URL, name: String? = nil, target: TargetSpec, inputShapes: [String: [Int]] = [:]) throws -> Artifact {
        let model = try ONNXModel.load(from: url)
        return try compile(model, name: name ?? url.deletingPathExtension().lastPathComponent, target: target, inputShapes: inputShapes)
    }

    /// Target-dependent choices, recorded in the artifact so a result can be traced
    /// back to how the model was built for that machine.
    private func decisions(for target: TargetSpec, plan: ExecutionPlan) -> [String: String] {
        var d = [
            "blas.coreType": target.blasCoreType ?? "auto",
            "threads": String(target.threads),
            "gemm.kernel": "cblas_sgemm",
        ]
        d["conv.algorithms"] = ConvSpecialization.algorithmSummary(of: plan)
        return d
    }
}
