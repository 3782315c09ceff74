import RoostCore

/// Evaluates at compile time every node whose inputs are all constants — plus
/// `Shape`, whose value is static — and replaces it by a constant. This collapses
/// the Shape→Gather→Unsqueeze→Concat→Reshape chains PyTorch exports, leaving
/// Reshape with a constant target. Shapes and types are inferred along the way,
/// since later nodes' foldability depends on earlier results.
public struct ConstantFolding: GraphPass {
    public let name = "constant-folding"
    public let registry: OperatorRegistry
    /// Folding must not bloat the artifact: a result larger than this and than its
    /// inputs together (an Expand of a scalar, say) is left to the runtime.
    public var maxGrowthElements: Int

    public init(registry: OperatorRegistry = .standard, maxGrowthElements: Int = 1 << 20) {
        self.registry = registry
        self.maxGrowthElements = maxGrowthElements
    }

    /// Operators whose value depends only on their input's static shape.
    public static let shapeOnly: Set<String> = ["Shape", "Size"]

    public func run(_ graph: inout Graph) throws {
        let evaluator = ConstantEvaluator(registry: registry)
        var kept: [Node] = []
        for node in graph.nodes {
            let lowering = try registry.lowering(for: node, opset: graph.opset)
            for input in node.inputs where !input.isEmpty && graph.shapes[input] == nil && graph.constants[input] == nil {
                throw RoostError.invalidModel("\(node.label) reads '\(input)', which no earlier node produces (graph not topologically sorted?)")
            }
            let shapes = try lowering.outputShapes(node, in: graph)
            let types = try lowering.outputTypes(node, in: graph)
            if try fold(node, shapes: shapes, types: types, evaluator: evaluator, into: &graph) { continue }
            for (name, shape) in zip(node.outputs, shapes) where !name.isEmpty { graph.shapes[name] = shape }
            for (name, type) in zip(node.outputs, types) where !name.isEmpty { graph.types[name] = type }
            kept.append(node)
        }
        graph.nodes = kept
    }

    private func fold(_ node: Node, shapes: [[Int]], types: [ElementType], evaluator: ConstantEvaluator, into graph: inout Graph) throws -> Bool {
        let inputs = node.inputs.filter { !$0.isEmpty }
        let constantInputs = inputs.allSatisfy { graph.constants[$0] != nil }
        guard node.domain.isEmpty, constantInputs || Self.shapeOnly.contains(node.opType),
              !node.outputs.contains(where: graph.outputs.contains) else { return false }
        let inputElements = constantInputs ? inputs.reduce(0) { $0 + (graph.constants[$1]?.elementCount ?? 0) } : 0
        let outputElements = shapes.reduce(0) { $0 + $1.reduce(1, *) }
        guard outputElements <= max(maxGrowthElements, inputElements) else { return false }
        guard let values = try evaluator.evaluate(node, in: graph) else { return false }
        for (i, name) in node.outputs.enumerated() where !name.isEmpty && i < values.count {
            graph.constants[name] = values[i]
            graph.shapes[name] = values[i].shape
            if i < types.count { graph.types[name] = types[i] }
        }
        return true
    }
}
