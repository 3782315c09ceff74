import Foundation
import CRoostKernels
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
            GeluFusion(), SiluFusion(), MatMulOperandFusion(), DataMovementFusion(registry: registry), MatMulBiasFusion(),
            ShapeInference(registry: registry), ActivationFusion(), ShapeInference(registry: registry), ConvSpecialization(),
        ]
    }

    /// Takes the model by ownership: each stage's copy of the weights (the
    /// proto's, the graph's, the plan's) is released as soon as the next one is
    /// built, so a 46 MB model peaks at three copies, not five.
    public func compile(_ model: consuming ONNXModel, name: String, target: TargetSpec, inputShapes: [String: [Int]] = [:]) throws -> Artifact {
        let modelSHA256 = model.sha256
        var graph = try ONNXImporter(inputShapes: inputShapes).importGraph(model)
        _ = consume model
        // Check operator support before any rewrite so the error names the original node.
        for node in graph.nodes where !IdentityElimination.removable.contains(node.opType) {
            _ = try registry.lowering(for: node, opset: graph.opset)
        }
        for pass in passes { try pass.run(&graph) }
        var (plan, weights) = try PlanBuilder(registry: registry).build(graph)
        _ = consume graph
        ChannelsLastLayout(target: target).apply(plan: &plan)
        KernelSelection(target: target).apply(plan: &plan, weights: &weights)
        let header = ArtifactHeader(
            compilerVersion: RoostVersion.compiler, target: target, modelSHA256: modelSHA256, modelName: name,
            decisions: decisions(for: target, plan: plan))
        return Artifact(header: header, plan: plan, weights: weights)
    }

    public func compile(modelAt url: URL, name: String? = nil, target: TargetSpec, inputShapes: [String: [Int]] = [:]) throws -> Artifact {
        return try compile(try ONNXModel.load(from: url), name: name ?? url.deletingPathExtension().lastPathComponent, target: target, inputShapes: inputShapes)
    }

    /// Target-dependent choices, recorded in the artifact so a result can be traced
    /// back to how the model was built for that machine.
    private func decisions(for target: TargetSpec, plan: ExecutionPlan) -> [String: String] {
        var d = [
            "blas.coreType": target.blasCoreType ?? "auto",
            "threads": String(target.threads),
        ]
        d["gemm.kernel"] = Self.gemmSummary(of: plan)
        d["flops"] = String(PlanCost.flops(of: plan))
        d["simd"] = KernelSelection(target: target).simdFamily ?? "portable"
        d["gemm.tile"] = KernelSelection(target: target).registerTile
        d["conv.algorithms"] = ConvSpecialization.algorithmSummary(of: plan)
        d["conv.layout"] = ChannelsLastLayout.summary(of: plan)
        return d
    }

    /// How many matrix-product steps each GEMM implementation runs, e.g.
    /// `openblas:0,roost-avx2:21 (packed 20)`; nil for a plan without any.
    static func gemmSummary(of plan: ExecutionPlan) -> String? {
        let products = plan.steps.filter { step in
            step.kernel == "gemm" || step.kernel == "matmul"
                || (step.kernel == "conv" && ["im2col-gemm", "gemm-1x1"].contains(step.attributes["algorithm"]?.string ?? ""))
        }
        guard !products.isEmpty else { return nil }
        var counts: [String: Int] = [:]
        for step in products { counts[step.attributes["gemm"]?.string ?? "openblas", default: 0] += 1 }
        let packed = products.filter { $0.attributes["packedWeights"] != nil }.count
        let direct = products.filter { $0.attributes["convKernel"]?.string == "direct" }.count
        let winograd = products.filter { $0.attributes["convKernel"]?.string == "winograd" }.count
        var summary = counts.keys.sorted().map { "\($0):\(counts[$0]!)" }.joined(separator: ",")
        summary += " (packed \(packed)"
        if direct > 0 { summary += ", direct conv \(direct)" }
        if winograd > 0 { summary += ", winograd \(winograd)" }
        return summary + ")"
    }
}
